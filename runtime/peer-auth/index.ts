export { authenticatePeer, bearerMetadata } from './authenticate';
export type { AuthenticatableCall, PeerAuthPolicy, PeerAuthResult } from './authenticate';
export { serverCredentials } from './credentials';
export type { ServerTlsOptions } from './credentials';
export { HEALTH_METHOD_PATH_PREFIX, peerAuthInterceptor } from './interceptor';
export type { PeerAuthInterceptorOptions, PeerAuthRefusal } from './interceptor';
export { tokenMatches } from './token';
