import * as grpc from '@grpc/grpc-js';
import { HealthService } from '@/runtime/health';
import { bearerMetadata, peerAuthInterceptor, serverCredentials, type PeerAuthPolicy, type PeerAuthRefusal } from '@/runtime/peer-auth';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type HealthClient } from '@/runtime/proto';
import { createCertificateAuthority, issue, type CertificateAndKey } from '@/runtime/tls';

const bytes = { serialize: (b: Buffer) => b, deserialize: (b: Buffer) => b };
function method(path: string, requestStream: boolean, responseStream: boolean) {
  return {
    path,
    requestStream,
    responseStream,
    requestSerialize: bytes.serialize,
    requestDeserialize: bytes.deserialize,
    responseSerialize: bytes.serialize,
    responseDeserialize: bytes.deserialize,
  };
}

/** A service with no authentication code of its own, one method of each kind. */
const ECHO = {
  Unary: method('/test.Echo/Unary', false, false),
  ServerStream: method('/test.Echo/ServerStream', false, true),
  ClientStream: method('/test.Echo/ClientStream', true, false),
  Bidi: method('/test.Echo/Bidi', true, true),
} satisfies grpc.ServiceDefinition;
type Kind = keyof typeof ECHO;
const KINDS = Object.keys(ECHO) as Kind[];

interface EchoClient extends grpc.Client {
  Unary(request: Buffer, metadata: grpc.Metadata, callback: grpc.requestCallback<Buffer>): grpc.ClientUnaryCall;
  ServerStream(request: Buffer, metadata: grpc.Metadata): grpc.ClientReadableStream<Buffer>;
  ClientStream(metadata: grpc.Metadata, callback: grpc.requestCallback<Buffer>): grpc.ClientWritableStream<Buffer>;
  Bidi(metadata: grpc.Metadata): grpc.ClientDuplexStream<Buffer, Buffer>;
}
const EchoClientConstructor = grpc.makeGenericClientConstructor(ECHO, 'Echo') as unknown as new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ClientOptions,
) => EchoClient;

/** Counts handler invocations: a refused call must never reach one. */
function echoHandlers(invoked: Kind[]): grpc.UntypedServiceImplementation {
  return {
    Unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      invoked.push('Unary');
      callback(null, call.request);
    },
    ServerStream: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      invoked.push('ServerStream');
      call.write(call.request);
      call.end();
    },
    ClientStream: (call: grpc.ServerReadableStream<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      invoked.push('ClientStream');
      const parts: Buffer[] = [];
      call.on('data', (part: Buffer) => parts.push(part));
      call.on('end', () => callback(null, Buffer.concat(parts)));
    },
    Bidi: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      invoked.push('Bidi');
      call.on('data', (part: Buffer) => call.write(part));
      call.on('end', () => call.end());
    },
  };
}

/** Runs one call of `kind` and resolves with its final status (and the echoed bytes). */
function callEcho(client: EchoClient, kind: Kind, metadata: grpc.Metadata): Promise<{ code: number; details: string; echoed: string }> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    const onStatus = (status: grpc.StatusObject) => resolve({ code: status.code, details: status.details, echoed: Buffer.concat(received).toString() });
    const payload = Buffer.from('ping');
    const ignore = () => undefined;
    const collect: grpc.requestCallback<Buffer> = (_error, value) => {
      if (value) received.push(value);
    };
    switch (kind) {
      case 'Unary':
        client.Unary(payload, metadata, collect).on('status', onStatus);
        return;
      case 'ServerStream': {
        const call = client.ServerStream(payload, metadata);
        call.on('data', (part: Buffer) => received.push(part));
        call.on('error', ignore);
        call.on('status', onStatus);
        return;
      }
      case 'ClientStream': {
        const call = client.ClientStream(metadata, collect);
        call.on('status', onStatus);
        call.on('error', ignore);
        call.write(payload);
        call.end();
        return;
      }
      case 'Bidi': {
        const call = client.Bidi(metadata);
        call.on('data', (part: Buffer) => received.push(part));
        call.on('error', ignore);
        call.on('status', onStatus);
        call.write(payload);
        call.end();
        return;
      }
    }
  });
}

describe('peerAuthInterceptor on a TLS server on loopback', () => {
  const token = 'control-plane-token-0123456789';
  let ca: CertificateAndKey;
  let serverCert: CertificateAndKey;
  let clientCert: CertificateAndKey;
  let server: grpc.Server;
  let port: number;
  const invoked: Kind[] = [];
  const refusals: PeerAuthRefusal[] = [];
  const authenticated: { peer: string; path: string; method: string }[] = [];
  const clients: grpc.Client[] = [];

  const credentials = (identity?: CertificateAndKey) =>
    identity
      ? grpc.credentials.createSsl(Buffer.from(ca.cert), Buffer.from(identity.key), Buffer.from(identity.cert))
      : grpc.credentials.createSsl(Buffer.from(ca.cert));
  const echoClient = (identity?: CertificateAndKey) => {
    const client = new EchoClientConstructor(`127.0.0.1:${port}`, credentials(identity), GRPC_CHANNEL_OPTIONS);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    ca = await createCertificateAuthority('interceptor test ca');
    serverCert = await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, ca);
    clientCert = await issue({ commonName: 'peer-b', clientAuth: true }, ca);
    const policy: PeerAuthPolicy = { tokens: ['previous-token', token], allowClientCertificate: true };
    server = new grpc.Server({
      ...GRPC_CHANNEL_OPTIONS,
      interceptors: [
        peerAuthInterceptor({
          policy,
          onRefused: (refusal) => refusals.push(refusal),
          onAuthenticated: (peer, result, path) => authenticated.push({ peer, path, method: result.method }),
        }),
      ],
    });
    const health = new HealthService(['']);
    health.setAll('SERVING');
    health.addTo(server);
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', serverCredentials({ cert: serverCert.cert, key: serverCert.key, clientCa: ca.cert }), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    // Added after the server is up, with no authentication code: still covered.
    server.addService(ECHO, echoHandlers(invoked));
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  beforeEach(() => {
    invoked.length = 0;
    refusals.length = 0;
    authenticated.length = 0;
  });

  const malformed = () => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Basic ${token}`);
    return metadata;
  };

  describe.each(KINDS)('%s method', (kind) => {
    it.each([
      ['no token', () => new grpc.Metadata(), 'missing "authorization: Bearer <token>" metadata or a client certificate signed by the configured client CA'],
      ['a wrong token', () => bearerMetadata('guess-guess-guess'), 'bearer token not accepted or a client certificate signed by the configured client CA'],
      ['a malformed authorization', malformed, 'authorization metadata must have the form "Bearer <token>"'],
    ])('refuses a call with %s before any handler runs', async (_case, metadata, details) => {
      const result = await callEcho(echoClient(), kind, metadata());
      expect(result).toEqual({ code: grpc.status.UNAUTHENTICATED, details, echoed: '' });
      expect(result.details).not.toContain(token);
      expect(invoked).toEqual([]);
      expect(refusals).toEqual([
        { peer: expect.stringMatching(/^(ipv4:)?127\.0\.0\.1:\d+$/), path: ECHO[kind].path, code: grpc.status.UNAUTHENTICATED, details },
      ]);
      expect(authenticated).toEqual([]);
    });

    it('serves a call with an accepted token, and says which peer authenticated', async () => {
      expect(await callEcho(echoClient(), kind, bearerMetadata(token))).toEqual({ code: grpc.status.OK, details: 'OK', echoed: 'ping' });
      expect(invoked).toEqual([kind]);
      expect(refusals).toEqual([]);
      expect(authenticated).toEqual([{ peer: expect.stringMatching(/127\.0\.0\.1:\d+$/), path: ECHO[kind].path, method: 'token' }]);
    });
  });

  it('accepts a verified client certificate when the policy allows it', async () => {
    expect(await callEcho(echoClient(clientCert), 'Unary', new grpc.Metadata())).toMatchObject({ code: grpc.status.OK, echoed: 'ping' });
    expect(authenticated).toEqual([expect.objectContaining({ method: 'client-certificate' })]);
  });

  it('serves the health service without a token, and counts nothing for it', async () => {
    const Health = loadTxPreventGrpc().grpc.health.v1.Health;
    const client: HealthClient = new Health(`127.0.0.1:${port}`, credentials(), GRPC_CHANNEL_OPTIONS);
    clients.push(client);
    const status = await new Promise<string>((resolve, reject) =>
      client.Check({ service: '' }, (error, response) => (error ? reject(error) : resolve(String(response?.status)))),
    );
    expect(status).toBe('SERVING');
    expect(refusals).toEqual([]);
    expect(authenticated).toEqual([]);
  });

  it('reports the same peer string to onAuthenticated as the handler sees', async () => {
    const peers: string[] = [];
    const probe = new grpc.Server({
      interceptors: [peerAuthInterceptor({ policy: { tokens: [token], allowClientCertificate: false }, onAuthenticated: (peer) => peers.push(peer) })],
    });
    probe.addService(ECHO, {
      ...echoHandlers([]),
      Unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        peers.push(call.getPeer());
        callback(null, call.request);
      },
    });
    const probePort = await new Promise<number>((resolve, reject) =>
      probe.bindAsync('127.0.0.1:0', serverCredentials({ cert: serverCert.cert, key: serverCert.key }), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const client = new EchoClientConstructor(`127.0.0.1:${probePort}`, credentials(), GRPC_CHANNEL_OPTIONS);
    clients.push(client);
    expect((await callEcho(client, 'Unary', bearerMetadata(token))).code).toBe(grpc.status.OK);
    await new Promise<void>((resolve) => probe.tryShutdown(() => resolve()));
    expect(peers).toHaveLength(2);
    expect(peers[0]).toBe(peers[1]);
  });
});
