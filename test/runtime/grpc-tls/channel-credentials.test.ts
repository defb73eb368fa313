import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { tlsChannelCredentials } from '@/runtime/grpc-tls';
import { loadTxPreventGrpc } from '@/runtime/proto';
import { createCertificateAuthority, issue } from '@/runtime/tls';
import { FakeAnalyzer, tlsFixture } from '@/test/sensor/helpers/fake-analyzer';
import { exchangesCapture } from '@/test/sensor/helpers/captures';
import { runCommand } from '@/test/sensor/helpers/run';

const SENSOR = join(__dirname, '../../../bin/tx-prevent-sensor.js');

describe('gRPC TLS channel credentials', () => {
  it('sends the server name (SNI) for a DNS name and not for an IP address', async () => {
    const ca = await createCertificateAuthority('sni test ca');
    const server = await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, ca);
    const h2 = createSecureServer({ cert: server.cert, key: server.key });
    const names: Array<string | false> = [];
    h2.on('secureConnection', (socket: TLSSocket) => names.push(socket.servername ?? false));
    h2.on('stream', (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12' }, { endStream: true });
    });
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    const port = (h2.address() as AddressInfo).port;
    const { Health } = loadTxPreventGrpc().grpc.health.v1;
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const client = new Health(`${host}:${port}`, tlsChannelCredentials({ rootCerts: Buffer.from(ca.cert) }));
        const code = await new Promise<number>((resolve) =>
          client.Check({ service: '' }, { deadline: Date.now() + 5000 }, (error) => resolve(error?.code ?? 0)),
        );
        client.close();
        // The handshake succeeded (certificate verified) and the server answered UNIMPLEMENTED.
        expect(code).toBe(grpc.status.UNIMPLEMENTED);
      }
      expect(names).toEqual([false, 'localhost']);
    } finally {
      h2.close();
    }
  });

  describe('the sensor against a loopback analyzer (a child process, so its warnings are its own)', () => {
    let dir: string;
    let pcap: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'grpc-tls-'));
      pcap = join(dir, 'one.pcap');
      writeFileSync(pcap, exchangesCapture(1));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const check = (env: Record<string, string>) =>
      runCommand(process.execPath, [SENSOR, '--check', '--pcap', pcap, '--status-port', '0', '--redaction-key', 'k'], {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SENSOR_TOKEN: 'tls-token',
        ...env,
      });

    it('connects to ANALYZER_URL=https://127.0.0.1:PORT without a DEP0123 warning', async () => {
      const tls = await tlsFixture();
      const analyzer = new FakeAnalyzer(tls, { token: 'tls-token' });
      const port = await analyzer.start();
      try {
        const ip = await check({ ANALYZER_URL: `https://127.0.0.1:${port}`, ANALYZER_TLS_CA_PEM: tls.ca.cert });
        expect(ip.code).toBe(0);
        expect(ip.stderr).toContain('"message":"analyzer check passed"');
        expect(ip.stderr).not.toContain('DEP0123');
        expect(ip.stderr).not.toContain('DeprecationWarning');
        const name = await check({ ANALYZER_URL: `https://localhost:${port}`, ANALYZER_TLS_CA_PEM: tls.ca.cert });
        expect(name.code).toBe(0);
        expect(name.stderr).not.toContain('DeprecationWarning');
      } finally {
        await analyzer.stop();
      }
    });

    it('still verifies the certificate against the IP address, or against ANALYZER_TLS_SERVER_NAME', async () => {
      const ca = await createCertificateAuthority('name-only ca');
      const nameOnly = await issue({ commonName: 'analyzer.test' }, ca);
      const analyzer = new FakeAnalyzer({ ca, server: nameOnly, client: nameOnly }, { token: 'tls-token' });
      const port = await analyzer.start();
      try {
        const byIp = await check({ ANALYZER_URL: `https://127.0.0.1:${port}`, ANALYZER_TLS_CA_PEM: ca.cert });
        expect(byIp.code).toBe(1);
        expect(byIp.stderr).toContain("IP: 127.0.0.1 is not in the cert's list");
        const byName = await check({ ANALYZER_URL: `https://127.0.0.1:${port}`, ANALYZER_TLS_CA_PEM: ca.cert, ANALYZER_TLS_SERVER_NAME: 'analyzer.test' });
        expect(byName.code).toBe(0);
        expect(byName.stderr).not.toContain('DeprecationWarning');
        const otherCa = await createCertificateAuthority('unrelated ca');
        const untrusted = await check({
          ANALYZER_URL: `https://127.0.0.1:${port}`,
          ANALYZER_TLS_CA_PEM: otherCa.cert,
          ANALYZER_TLS_SERVER_NAME: 'analyzer.test',
        });
        expect(untrusted.code).toBe(1);
      } finally {
        await analyzer.stop();
      }
    });
  });

  it('tx-prevent-health probes a TLS service on 127.0.0.1 without a DEP0123 warning', async () => {
    const ca = await createCertificateAuthority('health test ca');
    const identity = await issue({ commonName: 'service' }, ca);
    const server = new grpc.Server();
    server.addService(loadTxPreventGrpc().grpc.health.v1.Health.service, {
      Check: (_call: unknown, callback: grpc.sendUnaryData<{ status: string }>) => callback(null, { status: 'SERVING' }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        '127.0.0.1:0',
        grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(identity.cert), private_key: Buffer.from(identity.key) }]),
        (error, p) => (error ? reject(error) : resolve(p)),
      ),
    );
    try {
      const probe = await runCommand(process.execPath, [join(__dirname, '../../../bin/tx-prevent-health.js'), '--port', String(port)], {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
      });
      expect(probe.code).toBe(0);
      expect(probe.stdout.trim()).toBe('SERVING');
      expect(probe.stderr).not.toContain('DeprecationWarning');
    } finally {
      server.forceShutdown();
    }
  });
});
