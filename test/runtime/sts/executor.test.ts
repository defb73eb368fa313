import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { sendRequest, SendError } from '@/runtime/sts/executor';
import { issue, createCertificateAuthority } from '@/runtime/tls';
import { findingFor, startRecordingServer } from './recording-server';
import { testScanner } from './scanner-fixture';

const target = (port: number, scheme: 'http' | 'https' = 'http') => ({
  scheme,
  address: '127.0.0.1',
  port,
  hostHeader: `app.test:${port}`,
  servername: 'app.test',
});

describe('scan HTTP client', () => {
  it('talks TLS to the checked address with the application name as SNI and Host, verifying only when asked', async () => {
    const ca = await createCertificateAuthority('app-ca');
    const cert = await issue({ commonName: 'app.test' }, ca);
    const seen: { sni?: string; host?: string }[] = [];
    const server = createHttpsServer({ cert: cert.cert, key: cert.key }, (req, res) => {
      seen.push({ sni: (req.socket as unknown as { servername?: string }).servername, host: req.headers.host });
      res.setHeader('Content-Type', 'text/html');
      res.end('<p>secure</p>');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const response = await sendRequest(
        target(port, 'https'),
        { method: 'GET', path: '/', headers: [], body: '' },
        { timeoutMs: 5000, maxBodyBytes: 1024, verifyTls: false },
      );
      expect(response).toMatchObject({ status: 200, body: '<p>secure</p>' });
      expect(seen[0]).toEqual({ sni: 'app.test', host: `app.test:${port}` });
      await expect(
        sendRequest(target(port, 'https'), { method: 'GET', path: '/', headers: [], body: '' }, { timeoutMs: 5000, maxBodyBytes: 1024, verifyTls: true }),
      ).rejects.toThrow(SendError);
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it('decodes compressed responses and caps the body it reads', async () => {
    const server = await startRecordingServer((url, res) => {
      if (url === '/gzip') {
        res.writeHead(200, { 'Content-Encoding': 'gzip' });
        res.end(gzipSync('root:x:0:0:root:/root:/bin/bash'));
      } else res.end('x'.repeat(100_000));
    });
    try {
      const gz = await sendRequest(
        target(server.port),
        { method: 'GET', path: '/gzip', headers: [], body: '' },
        { timeoutMs: 5000, maxBodyBytes: 1024, verifyTls: false },
      );
      expect(gz.body).toBe('root:x:0:0:root:/root:/bin/bash');
      const big = await sendRequest(
        target(server.port),
        { method: 'GET', path: '/big', headers: [], body: '' },
        { timeoutMs: 5000, maxBodyBytes: 1024, verifyTls: false },
      );
      expect(big).toMatchObject({ truncated: true });
      expect(big.body.length).toBe(1024);
    } finally {
      await server.close();
    }
  });

  it('reports a target that does not answer as inconclusive, not as a refutation', async () => {
    const server = await startRecordingServer(undefined, '127.0.0.1', 3000);
    try {
      const outcome = await testScanner({ requestTimeoutMs: 300 }).scanner.scanFinding(
        findingFor({ host: `127.0.0.1:${server.port}`, serverIp: '127.0.0.1', serverPort: server.port, target: '/p?q=1', findingClass: 'xss', parameter: 'q' }),
        'scan-timeout',
        new AbortController().signal,
      );
      expect(outcome.status).toBe('inconclusive');
      expect(outcome.reason).toContain('no complete response within 300 ms');
    } finally {
      await server.close();
    }
  });
});
