/**
 * Channel credentials and target for ANALYZER_URL: TLS trusting the system CAs plus an optional
 * extra CA (ANALYZER_TLS_CA_PEM), an optional client certificate for mutual TLS, or plaintext
 * when TLS is disabled (direct local links only).
 */
import * as grpc from '@grpc/grpc-js';
import { existsSync, readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

/** System CA bundles of the distributions the sensor runs on (Debian/Ubuntu, AL2023/RHEL, SUSE). */
const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem'];

export interface TlsMaterial {
  readonly enabled: boolean;
  /** PEM text of extra trusted CAs. */
  readonly caPem?: string;
  readonly clientCertPem?: string;
  readonly clientKeyPem?: string;
  /** Overrides the name checked against the server certificate. */
  readonly serverNameOverride?: string;
}

export function trustedRoots(extraCaPem?: string): Buffer {
  const parts: string[] = [...rootCertificates];
  for (const bundle of SYSTEM_CA_BUNDLES) {
    if (existsSync(bundle)) {
      parts.push(readFileSync(bundle, 'utf8'));
      break;
    }
  }
  if (extraCaPem) parts.push(extraCaPem);
  return Buffer.from(parts.join('\n'));
}

export function channelCredentials(tls: TlsMaterial): grpc.ChannelCredentials {
  if (!tls.enabled) return grpc.credentials.createInsecure();
  const key = tls.clientKeyPem ? Buffer.from(tls.clientKeyPem) : null;
  const cert = tls.clientCertPem ? Buffer.from(tls.clientCertPem) : null;
  return grpc.credentials.createSsl(trustedRoots(tls.caPem), key, cert);
}

export function channelOptions(tls: TlsMaterial): grpc.ChannelOptions {
  return tls.serverNameOverride ? { 'grpc.ssl_target_name_override': tls.serverNameOverride, 'grpc.default_authority': tls.serverNameOverride } : {};
}
