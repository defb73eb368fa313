import { once } from 'node:events';
import * as tls from 'node:tls';
import { createCertificateAuthority, issue, selfSignedCertificate } from '@/runtime/tls';

describe('tls certificates', () => {
  it('a self-signed certificate serves TLS for its names', async () => {
    const { cert, key } = await selfSignedCertificate({ commonName: 'localhost', altNames: ['127.0.0.1'] });
    const server = tls.createServer({ cert, key }, (socket) => socket.end('hello'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    const socket = tls.connect({ host: '127.0.0.1', port, ca: cert, servername: 'localhost' });
    const [data] = await once(socket, 'data');
    expect(String(data)).toBe('hello');
    expect(socket.authorized).toBe(true);
    socket.destroy();
    server.close();
  });

  it('a CA issues server and client certificates for mutual TLS', async () => {
    const ca = await createCertificateAuthority('test ca');
    const server = await issue({ commonName: 'localhost' }, ca);
    const client = await issue({ commonName: 'sensor-1', clientAuth: true }, ca);
    const tlsServer = tls.createServer({ ...server, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (socket) => {
      socket.end(String(socket.getPeerCertificate().subject.CN));
    });
    tlsServer.listen(0, '127.0.0.1');
    await once(tlsServer, 'listening');
    const port = (tlsServer.address() as { port: number }).port;
    const socket = tls.connect({ host: '127.0.0.1', port, ca: ca.cert, servername: 'localhost', ...client });
    const [data] = await once(socket, 'data');
    expect(String(data)).toBe('sensor-1');
    socket.destroy();
    tlsServer.close();
  });
});
