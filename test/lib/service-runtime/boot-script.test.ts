import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderBootScript, renderLifecycleWatcher, renderServiceUnit, serviceBundle, type BootScriptOptions } from '@/lib/service-runtime';
import { SERVICE_NODE_OPTIONS } from '@/lib/service-runtime/boot-script';
import { shellcheck } from '../shellcheck';

function options(service: 'analyzer' | 'sts', kind: 'node' | 'container'): BootScriptOptions {
  return {
    service,
    stackName: 'ThreatXPrevent',
    namePrefix: 'ThreatXPrevent',
    region: 'us-east-1',
    autoScalingGroupLogicalId: 'ControlPlaneAnalyzerAutoScalingGroupASG21FCBC8F',
    autoScalingGroupName: `ThreatXPrevent-${service}`,
    terminationHookName: 'tx-prevent-drain',
    logGroupName: `ThreatXPrevent-ThreatXPrevent-${service}`,
    targetPort: service === 'analyzer' ? 50051 : 50052,
    healthTimeoutSeconds: 600,
    drainSeconds: 120,
    memoryMaxPercent: 80,
    launch:
      kind === 'node'
        ? { kind, bundleS3Url: 's3://cdk-hnb659fds-assets-111111111111-us-east-1/0123abcd.zip', entryPoint: `tx-prevent-${service}.js` }
        : {
            kind,
            bundleS3Url: 's3://cdk-hnb659fds-assets-111111111111-us-east-1/0123abcd.zip',
            repository: 'public.ecr.aws/threatx/raap/threatx-runtime-analyzer',
            imageTagParameter: `/ThreatXPrevent/${service}/image-tag`,
          },
  };
}

const VARIANTS = [
  ['analyzer', 'node'],
  ['sts', 'node'],
  ['analyzer', 'container'],
  ['sts', 'container'],
] as const;

describe('instance boot script', () => {
  const work = mkdtempSync(join(tmpdir(), 'txp-boot-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(VARIANTS)('the %s boot script (%s mode) passes shellcheck', (service, kind) => {
    expect(shellcheck(`#!/bin/bash\n${renderBootScript(options(service, kind))}`)).toEqual({ output: '', status: 0 });
  });

  it.each(['analyzer', 'sts'] as const)('the %s lifecycle watcher (written by the boot script inside a quoted heredoc) passes shellcheck', (service) => {
    expect(shellcheck(renderLifecycleWatcher(options(service, 'node')))).toEqual({ output: '', status: 0 });
    expect(renderBootScript(options(service, 'node'))).toContain(renderLifecycleWatcher(options(service, 'node')));
  });

  it('installs from the distribution, signals only after the service is healthy, and signals failure on any error', () => {
    const script = renderBootScript(options('analyzer', 'node'));
    expect(script).toContain('dnf install -y amazon-cloudwatch-agent aws-cfn-bootstrap nodejs22 unzip');
    expect(script).toMatch(/trap '.*signal 1' ERR/);
    const healthy = script.indexOf('until /usr/bin/node /opt/tx-prevent/analyzer/tx-prevent-health.js --port 50051');
    expect(healthy).toBeGreaterThan(script.indexOf('systemctl enable --now tx-prevent-analyzer.service'));
    expect(script.lastIndexOf('signal 0')).toBeGreaterThan(healthy);
    expect(script).toContain('--stack "$STACK" --resource "$RESOURCE"');
    expect(script).toContain('STACK_NAME=ThreatXPrevent');
  });

  it('completes the termination hook only after stopping (draining) the service', () => {
    const script = renderBootScript(options('sts', 'node'));
    const stop = script.indexOf('systemctl stop tx-prevent-sts');
    const complete = script.indexOf('aws autoscaling complete-lifecycle-action');
    expect(stop).toBeGreaterThan(0);
    expect(complete).toBeGreaterThan(stop);
    expect(script).toContain("--lifecycle-hook-name 'tx-prevent-drain'");
    expect(script).toContain('autoscaling/target-lifecycle-state');
  });

  it('hardens the systemd unit', () => {
    const unit = renderServiceUnit(options('analyzer', 'node'));
    for (const line of [
      'User=tx-prevent-analyzer',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'CapabilityBoundingSet=',
      'MemoryMax=80%',
      'Restart=on-failure',
      'StateDirectory=tx-prevent-analyzer',
      'TimeoutStopSec=125',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
  });

  it('container mode runs the tagged image with the awslogs driver, and signals only once it answers gRPC health', () => {
    const script = renderBootScript(options('analyzer', 'container'));
    expect(script).toContain('aws ssm get-parameter --region "$REGION" --name \'/ThreatXPrevent/analyzer/image-tag\'');
    expect(script).toContain('--log-driver awslogs --log-opt awslogs-region=us-east-1 --log-opt awslogs-group=ThreatXPrevent-ThreatXPrevent-analyzer');
    expect(script).toContain('dnf install -y amazon-cloudwatch-agent aws-cfn-bootstrap nodejs22 unzip docker');
    // The bundle is fetched for its health probe only; the unit runs the image.
    expect(script).toContain('aws s3 cp --region "$REGION" \'s3://cdk-hnb659fds-assets-111111111111-us-east-1/0123abcd.zip\'');
    expect(script).not.toContain('tx-prevent-analyzer.js');
    const healthy = script.indexOf('until /usr/bin/node /opt/tx-prevent/analyzer/tx-prevent-health.js --port 50051');
    expect(healthy).toBeGreaterThan(script.indexOf('systemctl enable --now tx-prevent-analyzer.service'));
    expect(script.lastIndexOf('signal 0')).toBeGreaterThan(healthy);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the unit's ExecStart from the real bundle (paths mapped to this machine) until health says SERVING. */
describe.each(['analyzer', 'sts'] as const)("the %s bundle started with the unit command and the env file's NODE_OPTIONS", (service) => {
  it('becomes healthy over gRPC/TLS and stops cleanly on SIGTERM', async () => {
    // Node refuses to start on an option NODE_OPTIONS may not carry: starting proves they are accepted.
    const nodeOptions = /^NODE_OPTIONS=(.*)$/m.exec(renderBootScript(options(service, 'node')))?.[1];
    expect(nodeOptions).toBe(SERVICE_NODE_OPTIONS[service]);
    const bundle = serviceBundle(service).dir;
    // The analyzer starts its analysis worker thread from its bundle and is healthy only once it runs.
    if (service === 'analyzer') expect(existsSync(join(bundle, 'analysis-worker.js'))).toBe(true);
    const unit = renderServiceUnit(options(service, 'node'));
    const exec = unit
      .split('\n')
      .find((l) => l.startsWith('ExecStart='))!
      .slice('ExecStart='.length)
      .split(' ');
    expect(exec[0]).toBe('/usr/bin/node');
    const args = exec.slice(1).map((a) => a.replace(`/opt/tx-prevent/${service}`, bundle));
    const port = await freePort();
    const state = mkdtempSync(join(tmpdir(), `txp-${service}-`));
    const env = {
      PATH: process.env.PATH,
      NODE_OPTIONS: nodeOptions,
      LOG_LEVEL: 'warn',
      SENSOR_TOKEN: 'a-sensor-token-of-enough-length',
      SCAN_MARKER_KEY: 'k'.repeat(32),
      ...(service === 'analyzer'
        ? { ANALYZER_HOST: '127.0.0.1', ANALYZER_PORT: String(port), METRICS_PORT: '0', SPOOL_DIR: join(state, 'spool'), STDOUT_EVENTS: 'false' }
        : { STS_HOST: '127.0.0.1', STS_PORT: String(port), STS_AUDIT_LOG: join(state, 'audit.log') }),
    };
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    try {
      let status = '';
      for (let attempt = 0; attempt < 60 && status !== 'SERVING'; attempt++) {
        const probe = spawnSync(process.execPath, [join(bundle, 'tx-prevent-health.js'), '--port', String(port), '--timeout-ms', '1000'], { encoding: 'utf8' });
        status = probe.stdout.trim();
        if (status !== 'SERVING') await new Promise((r) => setTimeout(r, 250));
      }
      expect({ status, stderr: status === 'SERVING' ? '' : stderr }).toEqual({ status: 'SERVING', stderr: '' });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(state, { recursive: true, force: true });
    }
  }, 60_000);
});

it('the health probe explains bad input', () => {
  const result = spawnSync(process.execPath, [join(serviceBundle('sts').dir, 'tx-prevent-health.js'), '--port', 'x'], { encoding: 'utf8' });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('--port must be a TCP port (1-65535)');
});
