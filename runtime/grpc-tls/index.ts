export { tlsChannelCredentials } from './channel-credentials';
export type { TlsChannelOptions } from './channel-credentials';
