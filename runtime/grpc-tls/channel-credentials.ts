/**
 * gRPC channel credentials for TLS that send SNI only for DNS names. grpc-js always sets the TLS
 * servername to the target host, so a target given as an IP address makes Node print DEP0123
 * (RFC 6066 forbids an IP address as a server name) on every connection. Here the certificate is
 * verified exactly as grpc-js does (against the target host, or the configured name), and the
 * server name is sent only when it is a name.
 */
import * as grpc from '@grpc/grpc-js';
import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect, createSecureContext, type PeerCertificate, type SecureContext } from 'node:tls';

export interface TlsChannelOptions {
  /** Trusted CAs (PEM); undefined: Node's bundled roots. */
  readonly rootCerts?: Buffer;
  /** Client certificate and key (PEM) for mutual TLS. */
  readonly certChain?: Buffer;
  readonly privateKey?: Buffer;
  /** Name verified in the server certificate (and sent as SNI) instead of the target host. */
  readonly serverName?: string;
  /** @default true */
  readonly rejectUnauthorized?: boolean;
  /** Replaces the host name check (Node's `checkServerIdentity`). */
  readonly checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
}

export function tlsChannelCredentials(options: TlsChannelOptions = {}): grpc.ChannelCredentials {
  if (Boolean(options.certChain) !== Boolean(options.privateKey)) throw new Error('a client certificate and its private key go together');
  return new SniForNamesCredentials(createSecureContext({ ca: options.rootCerts, cert: options.certChain, key: options.privateKey }), options);
}

/** The host a channel connects to: its target, or behind an HTTP CONNECT proxy, the real target. */
function targetHost(channelTarget: grpc.experimental.GrpcUri, channelOptions: grpc.ChannelOptions): string {
  const proxied = channelOptions['grpc.http_connect_target'];
  const path = typeof proxied === 'string' ? proxied.replace(/^dns:(?:\/\/[^/]*\/)?/, '') : channelTarget.path;
  return grpc.experimental.splitHostPort(path)?.host ?? path;
}

class SniForNamesCredentials extends grpc.ChannelCredentials {
  constructor(
    private readonly context: SecureContext,
    private readonly options: TlsChannelOptions,
  ) {
    super();
  }

  _isSecure(): boolean {
    return true;
  }

  _equals(other: grpc.ChannelCredentials): boolean {
    return other === this;
  }

  _createSecureConnector(
    channelTarget: grpc.experimental.GrpcUri,
    channelOptions: grpc.ChannelOptions,
    callCredentials?: grpc.CallCredentials,
  ): grpc.experimental.SecureConnector {
    const host = targetHost(channelTarget, channelOptions);
    const override = channelOptions['grpc.ssl_target_name_override'];
    const name = this.options.serverName || (typeof override === 'string' && override) || host;
    const verify = this.options.checkServerIdentity ?? checkServerIdentity;
    const rejectUnauthorized = this.options.rejectUnauthorized ?? true;
    const context = this.context;
    return {
      connect: (socket: Socket) =>
        new Promise<grpc.experimental.SecureConnectResult>((resolve, reject) => {
          const tlsSocket = connect(
            {
              socket,
              secureContext: context,
              ALPNProtocols: ['h2'],
              host,
              servername: isIP(name) === 0 ? name : undefined,
              rejectUnauthorized,
              checkServerIdentity: (_host, cert) => verify(name, cert),
            },
            () => {
              if (rejectUnauthorized && !tlsSocket.authorized) {
                reject(tlsSocket.authorizationError);
                return;
              }
              resolve({ socket: tlsSocket, secure: true });
            },
          );
          tlsSocket.on('error', reject);
        }),
      waitForReady: () => Promise.resolve(),
      getCallCredentials: () => callCredentials ?? grpc.credentials.createEmpty(),
      destroy: () => undefined,
    };
  }
}
