import * as grpc from '@grpc/grpc-js';
import { experimental } from '@grpc/grpc-js';

/**
 * Serves one fixed CA or identity to grpc-js (which expects providers that can rotate). Updates
 * are delivered on a microtask: grpc-js registers its watcher only after subscribing, so a
 * synchronous update would be lost and the server would drop every connection.
 */
class StaticCertificateProvider implements experimental.CertificateProvider {
  constructor(
    private readonly ca: Buffer | null,
    private readonly identity: { certificate: Buffer; privateKey: Buffer } | null,
  ) {}
  addCaCertificateListener(listener: experimental.CaCertificateUpdateListener): void {
    const update = this.ca ? { caCertificate: this.ca } : null;
    queueMicrotask(() => listener(update));
  }
  removeCaCertificateListener(): void {}
  addIdentityCertificateListener(listener: experimental.IdentityCertificateUpdateListener): void {
    const update = this.identity;
    queueMicrotask(() => listener(update));
  }
  removeIdentityCertificateListener(): void {}
}

export interface ServerTlsOptions {
  readonly cert: string;
  readonly key: string;
  /**
   * CA that signs accepted client certificates. Given: clients MAY present a certificate (it is
   * verified, and authenticatePeer accepts it); clients without one can still use a bearer token.
   */
  readonly clientCa?: string;
  /** Refuse TLS handshakes without a valid client certificate (direct links only). @default false */
  readonly requireClientCertificate?: boolean;
}

/** TLS server credentials; client certificates optional or required as configured. */
export function serverCredentials(options: ServerTlsOptions): grpc.ServerCredentials {
  const identity = { certificate: Buffer.from(options.cert), privateKey: Buffer.from(options.key) };
  if (!options.clientCa) {
    return grpc.ServerCredentials.createSsl(null, [{ cert_chain: identity.certificate, private_key: identity.privateKey }], false);
  }
  // grpc-js names the first parameter caCertificateProvider but passes it on as the identity
  // provider (its constructor takes identity first), so the identity goes first.
  return experimental.createCertificateProviderServerCredentials(
    new StaticCertificateProvider(null, identity),
    new StaticCertificateProvider(Buffer.from(options.clientCa), null),
    options.requireClientCertificate ?? false,
  );
}
