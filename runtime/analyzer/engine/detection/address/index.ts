/**
 * Network addresses as SSRF rules need them: hosts of the URLs in a value (as every parser reads
 * them) and what each host reaches, whatever notation it is written in.
 */
export { parseIPv4, formatIPv4, type ParsedIPv4 } from './ipv4';
export { parseIPv6 } from './ipv6';
export { judgeHost, mayNameInteractionHost, isInternalIPv4, METADATA_IPV4, METADATA_HOST_NAMES, type HostKind, type HostVerdict } from './hosts';
export { urlHosts, MAX_URLS, type UrlHost } from './url-hosts';
export { splitUrls, type UrlParts } from './urls';
