/**
 * tx-prevent-health: exit 0 when a local TX Prevent service answers grpc.health.v1 SERVING.
 * The instance boot script waits on it before signalling CloudFormation.
 *
 *   tx-prevent-health --port 50051 [--host 127.0.0.1] [--service NAME] [--timeout-ms 3000]
 */
import { probeGrpcHealth } from '../runtime/health-probe';

const USAGE = `Usage: tx-prevent-health --port PORT [--host 127.0.0.1] [--service NAME] [--timeout-ms 3000]

Asks a local TX Prevent service (analyzer or STS) for its grpc.health.v1 status over TLS, as the
load balancer's health check does, and prints it. Exit 0 when SERVING, 1 otherwise, 2 on bad input.
`;

function usage(problem: string): number {
  process.stderr.write(`tx-prevent-health: ${problem}\n${USAGE}`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!['--port', '--host', '--service', '--timeout-ms'].includes(argv[i]) || argv[i + 1] === undefined)
      return usage(`unknown or incomplete option ${argv[i]}`);
    flags.set(argv[i], argv[i + 1]);
  }
  const port = Number(flags.get('--port'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return usage('--port must be a TCP port (1-65535)');
  const timeoutMs = Number(flags.get('--timeout-ms') ?? 3000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) return usage('--timeout-ms must be a positive whole number');
  const status = await probeGrpcHealth({ host: flags.get('--host') ?? '127.0.0.1', port, service: flags.get('--service'), timeoutMs });
  process.stdout.write(`${status}\n`);
  return status === 'SERVING' ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
