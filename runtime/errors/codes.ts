/**
 * Every error code the project's errors carry, defined once. A code is a contract: scripts,
 * alarms and support notes match on it, so a code is never renamed or reused for another meaning
 * (retire it and add a new one instead). docs/generated/error-codes.md is rendered from this table.
 */
export interface ErrorCodeDefinition {
  /** The exit status a CLI ends with when this error stops it: 2 bad input (fix and rerun), 1 a failure at run time. */
  readonly exitStatus: 1 | 2;
  /** One line: what went wrong and where the message points. */
  readonly meaning: string;
}

export const ERROR_CODES = {
  TXP_USAGE: { exitStatus: 2, meaning: 'The command line is wrong: an unknown option or command, an option without its value, a missing or extra argument.' },
  TXP_CONFIG_INVALID: {
    exitStatus: 2,
    meaning: 'One or more settings (environment variable, option, SSM parameter or secret) are missing or invalid; each line names the setting and the fix.',
  },
  TXP_CONFIG_SOURCE_UNREADABLE: {
    exitStatus: 1,
    meaning: 'Reading settings from SSM Parameter Store or Secrets Manager failed; the message names the AWS error and the permission to grant.',
  },
  TXP_OUTPUT_FAILED: { exitStatus: 1, meaning: 'A CLI could not write its output (standard output or an output file); the message names it and the cause.' },
  TXP_INTERNAL: { exitStatus: 1, meaning: 'An unexpected failure without a code of its own; the message says what failed. Please report it.' },
  TXP_CONSTRUCT_PROPS_INVALID: {
    exitStatus: 2,
    meaning: 'A TxPreventControlPlane prop cannot work (raised at synth); the message names the prop and what to give instead.',
  },
  TXP_DEPLOY_POLICY_INPUT_INVALID: {
    exitStatus: 2,
    meaning: 'The deploy-policy generator cannot use its input (template, resource type, scope option); the message names it and the fix.',
  },
  TXP_FLEET_STATE_CONFIG_INVALID: { exitStatus: 2, meaning: 'A fleet-state (DynamoDB table) option cannot work; the message names the option and the fix.' },
  TXP_SINK_PARTIAL_DELIVERY: {
    exitStatus: 1,
    meaning: 'An event sink delivered only part of a batch; the analyzer keeps the rest spooled and retries it.',
  },
  TXP_EXCHANGE_MALFORMED: { exitStatus: 1, meaning: 'The analyzer received an exchange it cannot look at; it is counted as malformed and skipped.' },
  TXP_OFFLINE_INPUT_INVALID: {
    exitStatus: 2,
    meaning: 'A file given to tx-prevent-analyzer analyze cannot be read or is neither HAR nor a pcap/pcapng capture.',
  },
  TXP_STS_TEMPLATE_INVALID: { exitStatus: 2, meaning: 'A scan template (STS JSON or Nuclei YAML) breaks the documented format; the message names the field.' },
  TXP_STS_DSL_INVALID: { exitStatus: 2, meaning: 'A DSL matcher expression in a scan template does not parse or uses an unknown function.' },
  TXP_STS_REQUEST_SHAPE_INVALID: {
    exitStatus: 2,
    meaning: 'A finding names a request part the scan template cannot replay (no such parameter, header or body field).',
  },
  TXP_STS_ALLOWLIST_INVALID: { exitStatus: 2, meaning: 'An entry of the scan allowlist (STS_ALLOWLIST) is not a host name, address or CIDR range.' },
  TXP_STS_CREDENTIALS_INVALID: { exitStatus: 2, meaning: 'The scan credentials secret is not the documented JSON (host → header values).' },
  TXP_STS_SEND_FAILED: { exitStatus: 1, meaning: 'A scan request could not be sent or its response not read (refused, reset, timed out, too large).' },
  TXP_STS_ABORTED: { exitStatus: 1, meaning: 'A scan stopped before it finished: the kill switch, the scan deadline or a shutdown ended it.' },
  TXP_SENSOR_CAPTURE_FAILED: {
    exitStatus: 2,
    meaning: 'The sensor cannot start or keep capturing (tcpdump missing or not permitted, interface gone); the message says what to install or allow.',
  },
  TXP_SENSOR_PCAP_INVALID: {
    exitStatus: 2,
    meaning: 'A capture file or stream is not pcap/pcapng, or is corrupt part-way; the message names the byte offset.',
  },
  TXP_SENSOR_HTTP_HEAD_INVALID: { exitStatus: 1, meaning: 'A captured HTTP message head does not parse; the sensor counts a parse error and resynchronises.' },
} as const satisfies Record<string, ErrorCodeDefinition>;

export type ErrorCode = keyof typeof ERROR_CODES;
