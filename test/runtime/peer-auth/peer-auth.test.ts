import * as grpc from '@grpc/grpc-js';
import { authenticatePeer, bearerMetadata, serverCredentials, tokenMatches, type PeerAuthPolicy } from '@/runtime/peer-auth';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type HealthClient } from '@/runtime/proto';
import { createCertificateAuthority, issue, type CertificateAndKey } from '@/runtime/tls';

/** A gRPC server over TLS whose Check handler answers with the authentication result. */
async function startServer(policy: PeerAuthPolicy, tls: { server: CertificateAndKey; clientCa?: string; requireClientCertificate?: boolean }) {
  const server = new grpc.Server(GRPC_CHANNEL_OPTIONS);
  server.addService(loadTxPreventGrpc().grpc.health.v1.Health.service, {
    Check: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const result = authenticatePeer(call, policy);
      if (!result.ok) return callback({ code: result.code, details: result.details });
      const trailer = new grpc.Metadata();
      trailer.set('x-peer', `${result.method} ${result.principal}`);
      callback(null, { status: 'SERVING' }, trailer);
    },
    Watch: (call: grpc.ServerWritableStream<unknown, unknown>) => call.end(),
  });
  const credentials = serverCredentials({
    cert: tls.server.cert,
    key: tls.server.key,
    clientCa: tls.clientCa,
    requireClientCertificate: tls.requireClientCertificate,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { server, port };
}

/** The call's status code, and either the error details or the peer the server authenticated. */
function call(client: HealthClient, metadata = new grpc.Metadata()): Promise<{ code: number; details: string }> {
  return new Promise((resolve) => {
    const unary = client.Check({ service: '' }, metadata, { deadline: Date.now() + 5000 }, () => undefined);
    unary.on('status', (status: grpc.StatusObject) =>
      resolve({ code: status.code, details: status.code === 0 ? String(status.metadata.get('x-peer')[0]) : status.details }),
    );
  });
}

describe('peer authentication over gRPC with TLS', () => {
  let ca: CertificateAndKey;
  let otherCa: CertificateAndKey;
  let serverCert: CertificateAndKey;
  let clientCert: CertificateAndKey;
  let strangerCert: CertificateAndKey;
  const token = 'sensor-token-0123456789abcdef';
  const servers: grpc.Server[] = [];
  const clients: grpc.Client[] = [];

  beforeAll(async () => {
    ca = await createCertificateAuthority('test ca');
    otherCa = await createCertificateAuthority('other ca');
    serverCert = await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, ca);
    clientCert = await issue({ commonName: 'sensor-a', clientAuth: true }, ca);
    strangerCert = await issue({ commonName: 'stranger', clientAuth: true }, otherCa);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.tryShutdown(() => resolve()))));
  });

  const connect = (port: number, identity?: CertificateAndKey): HealthClient => {
    const Health = loadTxPreventGrpc().grpc.health.v1.Health;
    const credentials = identity
      ? grpc.credentials.createSsl(Buffer.from(ca.cert), Buffer.from(identity.key), Buffer.from(identity.cert))
      : grpc.credentials.createSsl(Buffer.from(ca.cert));
    const client = new Health(`127.0.0.1:${port}`, credentials, GRPC_CHANNEL_OPTIONS);
    clients.push(client);
    return client;
  };

  it('accepts the bearer token and rejects a wrong, malformed or missing one without echoing it', async () => {
    const { server, port } = await startServer({ tokens: ['previous-token-value', token], allowClientCertificate: false }, { server: serverCert });
    servers.push(server);
    const client = connect(port);
    expect(await call(client, bearerMetadata(token))).toEqual({ code: 0, details: 'token bearer-token' });
    const wrong = await call(client, bearerMetadata('guess-guess-guess'));
    expect(wrong).toEqual({ code: grpc.status.UNAUTHENTICATED, details: 'bearer token not accepted' });
    const malformed = new grpc.Metadata();
    malformed.set('authorization', `Basic ${token}`);
    const malformedResult = await call(client, malformed);
    expect(malformedResult.details).toBe('authorization metadata must have the form "Bearer <token>"');
    expect(malformedResult.details).not.toContain(token);
    expect(await call(client)).toEqual({ code: grpc.status.UNAUTHENTICATED, details: 'missing "authorization: Bearer <token>" metadata' });
  });

  it('accepts a client certificate from the configured CA or a token, when client certificates are optional', async () => {
    const { server, port } = await startServer({ tokens: [token], allowClientCertificate: true }, { server: serverCert, clientCa: ca.cert });
    servers.push(server);
    expect(await call(connect(port, clientCert))).toEqual({ code: 0, details: 'client-certificate cn=sensor-a' });
    expect(await call(connect(port), bearerMetadata(token))).toEqual({ code: 0, details: 'token bearer-token' });
    const stranger = await call(connect(port, strangerCert));
    expect(stranger.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(stranger.details).toContain('or a client certificate signed by the configured client CA');
  });

  it('refuses the TLS handshake without a client certificate when one is required', async () => {
    const { server, port } = await startServer(
      { tokens: [], allowClientCertificate: true },
      { server: serverCert, clientCa: ca.cert, requireClientCertificate: true },
    );
    servers.push(server);
    expect(await call(connect(port, clientCert))).toEqual({ code: 0, details: 'client-certificate cn=sensor-a' });
    expect((await call(connect(port), bearerMetadata(token))).code).toBe(grpc.status.UNAVAILABLE);
  });
});

describe('tokenMatches', () => {
  it('matches only an exact accepted token, whatever the lengths', () => {
    expect(tokenMatches('abc', ['x', 'abc'])).toBe(true);
    expect(tokenMatches('abcd', ['abc'])).toBe(false);
    expect(tokenMatches('', ['abc'])).toBe(false);
    expect(tokenMatches('abc', [])).toBe(false);
    expect(tokenMatches('abc', [Buffer.from('abc')])).toBe(true);
  });
});
