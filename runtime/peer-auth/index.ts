export { authenticatePeer, bearerMetadata } from './authenticate';
export type { AuthenticatableCall, PeerAuthPolicy, PeerAuthResult } from './authenticate';
export { serverCredentials } from './credentials';
export type { ServerTlsOptions } from './credentials';
export { tokenMatches } from './token';
