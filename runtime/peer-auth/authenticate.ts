import * as grpc from '@grpc/grpc-js';
import { AUTHORIZATION_METADATA_KEY } from '../proto';
import { tokenMatches } from './token';

export interface PeerAuthPolicy {
  /** Accepted bearer tokens (current and, during rotation, previous). Empty: tokens are not accepted. */
  readonly tokens: readonly (string | Buffer)[];
  /** Accept a client certificate verified against the server's client CA (direct mutual-TLS links). */
  readonly allowClientCertificate: boolean;
}

export type PeerAuthResult =
  | { readonly ok: true; readonly method: 'token' | 'client-certificate'; readonly principal: string }
  | { readonly ok: false; readonly code: grpc.status; readonly details: string };

/** What a server call exposes that authentication needs (a subset of grpc-js's ServerSurfaceCall). */
export interface AuthenticatableCall {
  readonly metadata: grpc.Metadata;
  getAuthContext(): { readonly sslPeerCertificate?: { readonly subject?: unknown } } | null;
}

function commonName(subject: unknown): string {
  const cn = (subject as { CN?: string | string[] } | undefined)?.CN;
  return Array.isArray(cn) ? (cn[0] ?? 'unknown') : (cn ?? 'unknown');
}

/**
 * Checks a call's peer: a verified client certificate (when allowed) or `authorization: Bearer
 * <token>` metadata. The result's details never contain the presented token.
 */
export function authenticatePeer(call: AuthenticatableCall, policy: PeerAuthPolicy): PeerAuthResult {
  if (policy.allowClientCertificate) {
    const certificate = call.getAuthContext()?.sslPeerCertificate;
    if (certificate) return { ok: true, method: 'client-certificate', principal: `cn=${commonName(certificate.subject)}` };
  }
  const values = call.metadata.get(AUTHORIZATION_METADATA_KEY);
  const alternatives = policy.allowClientCertificate ? ' or a client certificate signed by the configured client CA' : '';
  if (values.length === 0) {
    return { ok: false, code: grpc.status.UNAUTHENTICATED, details: `missing "authorization: Bearer <token>" metadata${alternatives}` };
  }
  const value = String(values[0]);
  const match = /^Bearer (.+)$/i.exec(value.trim());
  if (!match?.[1]) return { ok: false, code: grpc.status.UNAUTHENTICATED, details: 'authorization metadata must have the form "Bearer <token>"' };
  if (policy.tokens.length === 0 || !tokenMatches(match[1], policy.tokens)) {
    return { ok: false, code: grpc.status.UNAUTHENTICATED, details: `bearer token not accepted${alternatives}` };
  }
  return { ok: true, method: 'token', principal: 'bearer-token' };
}

/** Metadata that carries `token` for a client call. */
export function bearerMetadata(token: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(AUTHORIZATION_METADATA_KEY, `Bearer ${token}`);
  return metadata;
}
