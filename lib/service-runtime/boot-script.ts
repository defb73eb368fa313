/**
 * How the service's software reaches the instance. Both kinds fetch the service's bundle: the
 * service runs from it, or (with a vendor image) its gRPC health probe does, which gates the
 * success signal either way.
 */
export type ServiceLaunch =
  | {
      readonly kind: 'node';
      /** `s3://bucket/key` of the zipped bundle directory. */
      readonly bundleS3Url: string;
      /** File name of the service's entry point in the bundle (`tx-prevent-analyzer.js`). */
      readonly entryPoint: string;
    }
  | {
      readonly kind: 'container';
      /** `s3://bucket/key` of the zipped bundle directory, for `tx-prevent-health`. */
      readonly bundleS3Url: string;
      /** Image repository URI, without a tag. */
      readonly repository: string;
      /** SSM parameter holding the image tag (the drop-in stack's `AnalyzerImageTag`/`StsImageTag`). */
      readonly imageTagParameter: string;
      /** The registry to log in to first (a private ECR registry), if any. */
      readonly ecrRegistry?: string;
    };

export interface BootScriptOptions {
  readonly service: 'analyzer' | 'sts';
  /** The CloudFormation stack, for cfn-signal. */
  readonly stackName: string;
  /** The services' STACK_NAME: they read `/<namePrefix>/<service>/` and `/<namePrefix>/<secret>`. */
  readonly namePrefix: string;
  readonly region: string;
  readonly autoScalingGroupLogicalId: string;
  readonly autoScalingGroupName: string;
  readonly terminationHookName: string;
  readonly logGroupName: string;
  readonly targetPort: number;
  /** How long the boot waits for the service to report SERVING before it signals failure. */
  readonly healthTimeoutSeconds: number;
  /** How long systemd gives the service to drain on stop (keep below the termination hook timeout). */
  readonly drainSeconds: number;
  /** The service's memory limit, as a share of the instance's memory. */
  readonly memoryMaxPercent: number;
  readonly launch: ServiceLaunch;
}

/**
 * Each service's Node options, written as NODE_OPTIONS into its env file (read by the node unit and
 * by the container alike). The analyzer's main thread only moves bytes (network, spool, sinks)
 * while its workers analyze: a 2 MiB semi-space keeps that thread's young generation from growing
 * to 3 × 16 MiB under load, which the instance's memory is better spent on (docs/benchmarks.md).
 */
export const SERVICE_NODE_OPTIONS = {
  analyzer: '--enable-source-maps --max-semi-space-size=2',
  sts: '--enable-source-maps',
} as const satisfies Record<BootScriptOptions['service'], string>;

const unitName = (service: string) => `tx-prevent-${service}`;

/** The systemd unit that runs the service: a dedicated user, a read-only system, bounded memory. */
export function renderServiceUnit(options: BootScriptOptions): string {
  const name = unitName(options.service);
  const exec =
    options.launch.kind === 'node'
      ? `/usr/bin/node /opt/tx-prevent/${options.service}/${options.launch.entryPoint}`
      : `/usr/bin/docker run --rm --name ${name} --network host --log-driver awslogs --log-opt awslogs-region=${options.region} --log-opt awslogs-group=${options.logGroupName} --log-opt awslogs-stream=%H --env-file /etc/tx-prevent/${options.service}.env --volume /var/lib/${name}:/var/lib/${name} \${IMAGE}`;
  const sandbox =
    options.launch.kind === 'node'
      ? [
          `User=${name}`,
          `Group=${name}`,
          'NoNewPrivileges=yes',
          'ProtectSystem=strict',
          'ProtectHome=yes',
          'PrivateTmp=yes',
          'PrivateDevices=yes',
          'ProtectKernelTunables=yes',
          'ProtectKernelModules=yes',
          'ProtectControlGroups=yes',
          'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
          'RestrictNamespaces=yes',
          'LockPersonality=yes',
          'SystemCallArchitectures=native',
          'CapabilityBoundingSet=',
          'AmbientCapabilities=',
          `StateDirectory=${name}`,
          `LogsDirectory=${name}`,
          `StandardOutput=append:/var/log/${name}/${options.service}.log`,
          `StandardError=append:/var/log/${name}/${options.service}.log`,
        ]
      : [
          `EnvironmentFile=/etc/tx-prevent/${options.service}.image`,
          `ExecStartPre=-/usr/bin/docker rm -f ${name}`,
          `ExecStop=/usr/bin/docker stop --time ${options.drainSeconds} ${name}`,
        ];
  return [
    '[Unit]',
    `Description=TX Prevent ${options.service === 'analyzer' ? 'Runtime Analyzer' : 'Scan Template Service'}`,
    'Wants=network-online.target',
    `After=network-online.target${options.launch.kind === 'container' ? ' docker.service' : ''}`,
    ...(options.launch.kind === 'container' ? ['Requires=docker.service'] : []),
    '',
    '[Service]',
    'Type=simple',
    ...(options.launch.kind === 'node' ? [`EnvironmentFile=/etc/tx-prevent/${options.service}.env`] : []),
    `ExecStart=${exec}`,
    'Restart=on-failure',
    'RestartSec=5',
    'KillSignal=SIGTERM',
    `TimeoutStopSec=${options.drainSeconds + 5}`,
    `MemoryMax=${options.memoryMaxPercent}%`,
    'LimitNOFILE=65536',
    ...sandbox,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** CloudWatch agent configuration: the service's log (events, EMF metric lines, logs) to its log group. */
export function renderCloudWatchAgentConfig(options: BootScriptOptions): string {
  const name = unitName(options.service);
  return JSON.stringify(
    {
      agent: { run_as_user: 'root' },
      logs: {
        logs_collected: {
          files: {
            collect_list: [
              {
                file_path: `/var/log/${name}/${options.service}.log`,
                log_group_name: options.logGroupName,
                log_stream_name: '{instance_id}',
                retention_in_days: -1,
              },
              { file_path: '/var/log/tx-prevent-boot.log', log_group_name: options.logGroupName, log_stream_name: '{instance_id}-boot', retention_in_days: -1 },
            ],
          },
        },
      },
    },
    null,
    2,
  );
}

/**
 * Watches the instance's Auto Scaling target lifecycle state; when the instance is to be
 * terminated it stops the service (which drains) and completes the termination hook, so no
 * accepted data is lost to a scale-in.
 */
export function renderLifecycleWatcher(options: BootScriptOptions): string {
  return `#!/bin/bash
# TX Prevent: drain ${unitName(options.service)} before the Auto Scaling group terminates this instance.
set -uo pipefail
imds() {
  local token
  token=$(curl -sS -m 5 -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') || return 1
  curl -sS -f -m 5 -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}
while true; do
  if [ "$(imds autoscaling/target-lifecycle-state 2>/dev/null)" = "Terminated" ]; then
    echo "instance is terminating: stopping ${unitName(options.service)} to drain"
    systemctl stop ${unitName(options.service)}
    instance_id=$(imds instance-id)
    aws autoscaling complete-lifecycle-action --region '${options.region}' \\
      --auto-scaling-group-name '${options.autoScalingGroupName}' \\
      --lifecycle-hook-name '${options.terminationHookName}' \\
      --instance-id "$instance_id" --lifecycle-action-result CONTINUE
    exit 0
  fi
  sleep 5
done
`;
}

/**
 * The first-boot script of an AL2023 instance: installs Node.js 22 (or Docker), the CloudWatch
 * agent and cfn-signal from the distribution's packages, fetches the service, writes its
 * configuration, runs it under systemd, waits until it answers gRPC health SERVING and only then
 * signals CloudFormation, so a bad deployment rolls back. Any failure signals failure at once.
 */
export function renderBootScript(options: BootScriptOptions): string {
  const name = unitName(options.service);
  const launch = options.launch;
  const packages = ['amazon-cloudwatch-agent', 'aws-cfn-bootstrap', 'nodejs22', 'unzip', ...(launch.kind === 'container' ? ['docker'] : [])];
  const bundle = `install -d -m 0755 /opt/tx-prevent/${options.service}
aws s3 cp --region "$REGION" '${launch.bundleS3Url}' /tmp/${name}.zip
unzip -o -q /tmp/${name}.zip -d /opt/tx-prevent/${options.service}
rm -f /tmp/${name}.zip
alternatives --set node /usr/bin/node-22 2>/dev/null || true`;
  const fetch =
    launch.kind === 'node'
      ? `${bundle}
useradd --system --no-create-home --shell /sbin/nologin ${name} 2>/dev/null || true`
      : `${bundle}
systemctl enable --now docker
tag=$(aws ssm get-parameter --region "$REGION" --name '${launch.imageTagParameter}' --query Parameter.Value --output text)
${launch.ecrRegistry ? `aws ecr get-login-password --region "$REGION" | docker login --username AWS --password-stdin '${launch.ecrRegistry}'\n` : ''}echo "IMAGE=${launch.repository}:$tag" > /etc/tx-prevent/${options.service}.image
docker pull "${launch.repository}:$tag"
install -d -m 0750 /var/lib/${name}`;
  // The load balancer's own check: grpc.health.v1.Health/Check over TLS answering SERVING.
  const probe = `/usr/bin/node /opt/tx-prevent/${options.service}/tx-prevent-health.js --port ${options.targetPort}`;

  return `set -euo pipefail
exec >>/var/log/tx-prevent-boot.log 2>&1
STACK='${options.stackName}'
RESOURCE='${options.autoScalingGroupLogicalId}'
REGION='${options.region}'
signal() {
  /opt/aws/bin/cfn-signal --exit-code "$1" --stack "$STACK" --resource "$RESOURCE" --region "$REGION" || true
}
trap 'echo "boot failed at line $LINENO"; signal 1' ERR

dnf install -y ${packages.join(' ')}
install -d -m 0755 /etc/tx-prevent
${fetch}

${options.service === 'analyzer' ? 'instance_id=$(cloud-init query v1.instance_id 2>/dev/null || hostname)\n' : ''}cat > /etc/tx-prevent/${options.service}.env <<EOF
STACK_NAME=${options.namePrefix}
AWS_REGION=$REGION
${options.service === 'analyzer' ? 'ANALYZER_ID=$instance_id\n' : ''}NODE_OPTIONS=${SERVICE_NODE_OPTIONS[options.service]}
EOF
chmod 0644 /etc/tx-prevent/${options.service}.env

cat > /etc/systemd/system/${name}.service <<'EOF'
${renderServiceUnit(options)}EOF

cat > /opt/tx-prevent/lifecycle-watch.sh <<'EOF'
${renderLifecycleWatcher(options)}EOF
chmod 0755 /opt/tx-prevent/lifecycle-watch.sh
cat > /etc/systemd/system/tx-prevent-lifecycle.service <<'EOF'
[Unit]
Description=TX Prevent: drain before Auto Scaling termination
After=${name}.service

[Service]
ExecStart=/opt/tx-prevent/lifecycle-watch.sh
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF

cat > /opt/aws/amazon-cloudwatch-agent/etc/tx-prevent.json <<'EOF'
${renderCloudWatchAgentConfig(options)}
EOF
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/tx-prevent.json

systemctl daemon-reload
systemctl enable --now ${name}.service tx-prevent-lifecycle.service

deadline=$((SECONDS + ${options.healthTimeoutSeconds}))
until ${probe}; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "${name} did not report healthy within ${options.healthTimeoutSeconds} s"
    systemctl status ${name} --no-pager || true
    signal 1
    exit 1
  fi
  sleep 5
done
echo "${name} is healthy"
signal 0
`;
}
