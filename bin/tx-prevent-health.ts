/**
 * tx-prevent-health: exit 0 when a local TX Prevent service answers grpc.health.v1 SERVING.
 * The instance boot script waits on it before signalling CloudFormation.
 *
 *   tx-prevent-health --port 50051 [--host 127.0.0.1] [--service NAME] [--timeout-ms 3000]
 */
import { exitCodesSection, parseCommandLine, renderHelp, reportError, UsageError, type CommandSpec } from '../runtime/cli';
import { probeGrpcHealth } from '../runtime/health-probe';

const CLI = 'tx-prevent-health';

const SPEC = {
  name: CLI,
  usage: ['--port PORT [--host 127.0.0.1] [--service NAME] [--timeout-ms 3000]'],
  description:
    "Asks a local TX Prevent service (analyzer or STS) for its grpc.health.v1 status over TLS, as the load balancer's health check does, and prints it.",
  options: {
    port: { type: 'string', value: 'PORT', description: 'TCP port of the service (1-65535). Required.' },
    host: { type: 'string', value: 'HOST', description: 'Host to ask. Default: 127.0.0.1.' },
    service: { type: 'string', value: 'NAME', description: 'grpc.health.v1 service name to ask about. Default: the server as a whole.' },
    'timeout-ms': { type: 'string', value: 'MS', description: 'How long to wait for the answer, in milliseconds. Default: 3000.' },
  },
  sections: [exitCodesSection({ ok: 'the service is SERVING', failure: 'any other status, or no answer in time', input: 'bad command line' })],
} as const satisfies CommandSpec;

async function main(argv: readonly string[]): Promise<number> {
  const { help, values } = parseCommandLine(SPEC, argv);
  if (help) {
    process.stdout.write(renderHelp(SPEC));
    return 0;
  }
  if (values.port === undefined) throw new UsageError(`--port is required (the service's TCP port, e.g. --port 50051); run ${CLI} --help for the options`);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) throw new UsageError(`--port must be a TCP port (1-65535); got ${JSON.stringify(values.port)}`);
  const timeoutMs = Number(values['timeout-ms'] ?? 3000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new UsageError('--timeout-ms must be a positive whole number');
  const status = await probeGrpcHealth({ host: values.host ?? '127.0.0.1', port, service: values.service, timeoutMs });
  process.stdout.write(`${status}\n`);
  return status === 'SERVING' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportError(CLI, error)),
);
