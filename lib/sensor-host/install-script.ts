import type { SensorEnvName } from '../../sensor/config/settings';

/** Sensor settings by environment name: only names the sensor reads. */
export type SensorEnvironment = Readonly<Partial<Record<SensorEnvName, string>>>;

/** What the sensor install script needs to know. */
export interface SensorInstallOptions {
  /** `s3://bucket/key` of the zipped sensor bundle. */
  readonly bundleS3Url: string;
  readonly region: string;
  /** `https://tx-analyzer.<zone>:50051`. */
  readonly analyzerUrl: string;
  /** Secrets Manager ids of the sensor token and the redaction key. */
  readonly tokenSecretId: string;
  readonly redactionKeySecretId: string;
  readonly logGroupName: string;
  /** SENSOR_TAGS: the application(s) this sensor watches. */
  readonly tags: readonly string[];
  /** Further sensor settings (environment names of `tx-prevent-sensor --help`). */
  readonly environment: SensorEnvironment;
  /** systemd MemoryMax of the sensor. */
  readonly memoryMax: string;
}

const SENSOR = 'tx-prevent-sensor';

/** The sensor's systemd unit: capture capabilities only, low CPU priority, bounded memory. */
export function renderSensorUnit(options: SensorInstallOptions): string {
  return [
    '[Unit]',
    'Description=TX Prevent runtime sensor',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    'EnvironmentFile=/etc/tx-prevent/sensor.env',
    // A small young generation keeps the sensor well under the vendor's 300 MB (about 25 MB less RSS under load).
    `ExecStart=/usr/bin/node --enable-source-maps --max-semi-space-size=4 /opt/tx-prevent/sensor/${SENSOR}.js`,
    'Restart=always',
    'RestartSec=5',
    `User=${SENSOR}`,
    `Group=${SENSOR}`,
    // tcpdump needs raw sockets; nothing else is granted.
    'AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN',
    'CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'ProtectKernelModules=yes',
    'ProtectControlGroups=yes',
    'LockPersonality=yes',
    `StateDirectory=${SENSOR}`,
    `LogsDirectory=${SENSOR}`,
    `StandardOutput=append:/var/log/${SENSOR}/sensor.log`,
    `StandardError=append:/var/log/${SENSOR}/sensor.log`,
    // Passive and polite: the application always wins the CPU.
    'Nice=10',
    'CPUWeight=20',
    `MemoryMax=${options.memoryMax}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** The environment file of the sensor: DESIGN.md's names, credentials by secret id only. */
export function renderSensorEnvironment(options: SensorInstallOptions): string {
  // AWS_REGION is the SDK's, for reading the secrets.
  const env: SensorEnvironment & { AWS_REGION: string } = {
    ANALYZER_URL: options.analyzerUrl,
    ANALYZER_TLS_ENABLED: 'true',
    SENSOR_TAGS: options.tags.join(','),
    TARGET_ENVIRONMENT: 'ec2',
    SENSOR_TOKEN_SECRET_ID: options.tokenSecretId,
    REDACTION_KEY_SECRET_ID: options.redactionKeySecretId,
    SPOOL_DIR: `/var/lib/${SENSOR}/spool`,
    AWS_REGION: options.region,
    ...options.environment,
  };
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** The CloudWatch agent configuration that ships the sensor's log to the sensor log group. */
export function renderSensorAgentConfig(options: SensorInstallOptions): string {
  const file = { file_path: `/var/log/${SENSOR}/sensor.log`, log_group_name: options.logGroupName, log_stream_name: '{instance_id}', retention_in_days: -1 };
  return JSON.stringify({ logs: { logs_collected: { files: { collect_list: [file] } } } }, null, 2);
}

/**
 * Installs and starts the sensor on an AL2023 host: Node.js 22 and tcpdump from the distribution,
 * the sensor bundle from S3, a dedicated user with capture capabilities only, its log appended to
 * the CloudWatch agent's configuration (the host's own agent configuration is kept).
 */
export function renderSensorInstallScript(options: SensorInstallOptions): string {
  const marker = 'TX_PREVENT_SENSOR_EOF';
  return `set -euo pipefail
exec >>/var/log/tx-prevent-sensor-install.log 2>&1
dnf install -y nodejs22 tcpdump unzip amazon-cloudwatch-agent
install -d -m 0755 /opt/tx-prevent/sensor /etc/tx-prevent
aws s3 cp --region '${options.region}' '${options.bundleS3Url}' /tmp/${SENSOR}.zip
unzip -o -q /tmp/${SENSOR}.zip -d /opt/tx-prevent/sensor
rm -f /tmp/${SENSOR}.zip
useradd --system --no-create-home --shell /sbin/nologin ${SENSOR} 2>/dev/null || true
cat > /etc/tx-prevent/sensor.env <<'${marker}'
${renderSensorEnvironment(options)}
${marker}
cat > /etc/systemd/system/${SENSOR}.service <<'${marker}'
${renderSensorUnit(options)}${marker}
cat > /opt/aws/amazon-cloudwatch-agent/etc/tx-prevent-sensor.json <<'${marker}'
${renderSensorAgentConfig(options)}
${marker}
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a append-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/tx-prevent-sensor.json
systemctl daemon-reload
systemctl enable --now ${SENSOR}.service
`;
}
