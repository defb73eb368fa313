import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** A PEM certificate and its PEM private key. */
export interface CertificateAndKey {
  readonly cert: string;
  readonly key: string;
}

export interface CertificateOptions {
  /** Subject common name. */
  readonly commonName: string;
  /** DNS names and IP addresses the certificate is valid for; the common name is added. */
  readonly altNames?: readonly string[];
  /** Validity in days. @default 365 */
  readonly days?: number;
  /** Allow use as a TLS client certificate too. @default false */
  readonly clientAuth?: boolean;
}

function subjectAltNames(names: readonly string[]) {
  return [...new Set(names)].map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name }));
}

function validity(days: number) {
  const notBeforeDate = new Date(Date.now() - 60_000);
  return { notBeforeDate, notAfterDate: new Date(notBeforeDate.getTime() + days * 86_400_000) };
}

/**
 * A self-signed server certificate, made at service start when none is configured: the ALB
 * encrypts to its targets but does not verify them, so a fresh key per instance is enough.
 */
export async function selfSignedCertificate(options: CertificateOptions): Promise<CertificateAndKey> {
  return issue(options);
}

/** A certificate authority, for mutual TLS on direct links and for tests. */
export async function createCertificateAuthority(commonName: string, days = 365): Promise<CertificateAndKey> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ...validity(days),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** A leaf certificate signed by `ca` (or self-signed without one). */
export async function issue(options: CertificateOptions, ca?: CertificateAndKey): Promise<CertificateAndKey> {
  const pems = await generate([{ name: 'commonName', value: options.commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ...validity(options.days ?? 365),
    ...(ca ? { ca: { cert: ca.cert, key: ca.key } } : {}),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: options.clientAuth ?? false },
      { name: 'subjectAltName', altNames: subjectAltNames([options.commonName, ...(options.altNames ?? [])]) },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
