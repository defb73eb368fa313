/**
 * Channel credentials and target for ANALYZER_URL: TLS trusting the system CAs plus an optional
 * extra CA (ANALYZER_TLS_CA_PEM), an optional client certificate for mutual TLS, or plaintext
 * when TLS is disabled (direct local links only).
 */
import * as grpc from '@grpc/grpc-js';
import { existsSync, readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { tlsChannelCredentials } from '../../runtime/grpc-tls';

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

/** SNI is sent only when ANALYZER_URL (or ANALYZER_TLS_SERVER_NAME) is a name, not an IP address. */
export function channelCredentials(tls: TlsMaterial): grpc.ChannelCredentials {
  if (!tls.enabled) return grpc.credentials.createInsecure();
  return tlsChannelCredentials({
    rootCerts: trustedRoots(tls.caPem),
    privateKey: tls.clientKeyPem ? Buffer.from(tls.clientKeyPem) : undefined,
    certChain: tls.clientCertPem ? Buffer.from(tls.clientCertPem) : undefined,
    serverName: tls.serverNameOverride,
  });
}

export function channelOptions(tls: TlsMaterial): grpc.ChannelOptions {
  return tls.serverNameOverride ? { 'grpc.default_authority': tls.serverNameOverride } : {};
}
