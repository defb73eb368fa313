/**
 * Server-side request forgery: URLs that make the server fetch from itself, its private network or
 * its cloud metadata service, in any host notation (see detection/address), names that resolve
 * there (loopback names, DNS rebinding helpers), schemes that talk to internal services, and
 * out-of-band interaction hosts that blind probes call back to.
 */
import { judgeHost, mayNameInteractionHost, urlHosts } from '../address';
import { CREDENTIAL_PATH, SYSTEM_ROOT, WINDOWS_ROOT } from '../path';
import { isWrittenOutDocument } from '../prose';
import type { RequestView } from '../../message-view';
import { ruleScore } from '../scoring';
import type { AttackHit, Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { classRule } from './class-rule';
import { URL_HEADERS } from './url-headers';

const rule = classRule('Ssrf');
type SsrfRule = ReturnType<typeof rule>;

export const INTERNAL_SCHEME = rule(500101, 'SsrfAnalyzer: URL scheme used to reach internal services', 'critical', 'high', 80);
export const METADATA_SERVICE = rule(500102, 'SsrfAnalyzer: cloud metadata service', 'critical', 'high', 90);
export const INTERNAL_ADDRESS = rule(500103, 'SsrfAnalyzer: URL to a loopback, private or link-local address', 'critical', 'high', 70);
export const REBINDING_NAME = rule(
  500104,
  'SsrfAnalyzer: URL to a name that resolves to an internal address (loopback name, DNS rebinding)',
  'critical',
  'high',
  70,
);
export const OBFUSCATED_ADDRESS = rule(
  500105,
  'SsrfAnalyzer: URL host in an obfuscated IP notation (decimal, octal, hex, short, IPv4 in IPv6)',
  'critical',
  'medium',
  60,
);
/**
 * Out-of-band interaction services exist for blind testing: a URL to one, wherever the server may
 * fetch or log it, is a probe for a blind SSRF, XXE or injection, whoever sends it.
 */
export const INTERACTION_HOST = rule(500106, 'SsrfAnalyzer: URL to an out-of-band interaction service (blind-injection callback)', 'critical', 'high', 60);
export const CONFUSING_AUTHORITY = rule(500107, 'SsrfAnalyzer: URL authority that URL parsers read as different hosts', 'critical', 'high', 60);
/**
 * Database and message-broker connection URLs: a password holding `@` is written `%40` there
 * (`postgres://app:p%40ss@db:5432/app`), which decoding turns into a second `@`; their drivers
 * read the user info as RFC 3986 says, and no URL fetcher follows these schemes.
 */
const CONNECTION_SCHEME =
  /^(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|clickhouse|cockroachdb|kafka|nats|mqtts?)$/;

/**
 * A request body holding Redis's file-writing and replication commands at the start of its lines:
 * a Redis server that an SSRF or a cross-protocol request reaches reads each line as a command
 * (`CONFIG SET dir /root/.ssh`, `CONFIG SET dbfilename authorized_keys`, `SAVE`; `SLAVEOF` or
 * `MODULE LOAD` to run code). Reported by redisCommandHits, on the body as a whole.
 */
export const REDIS_COMMANDS = rule(
  500108,
  'SsrfAnalyzer: Redis file-writing, replication or module commands in a request body (cross-protocol or SSRF to Redis)',
  'critical',
  'high',
  85,
);

export const SSRF_RULES: readonly SsrfRule[] = [
  INTERNAL_SCHEME,
  METADATA_SERVICE,
  INTERNAL_ADDRESS,
  REBINDING_NAME,
  OBFUSCATED_ADDRESS,
  INTERACTION_HOST,
  CONFUSING_AUTHORITY,
  REDIS_COMMANDS,
];

/** `CONFIG SET dir|dbfilename`, `SLAVEOF`/`REPLICAOF host port`, `MODULE LOAD /path`, each opening a line (CRLF or LF). */
const REDIS_COMMAND_LINE =
  /(?:^|\n)[ \t]{0,8}(?:config[ \t]{1,8}set[ \t]{1,8}(?:dir|dbfilename)[ \t]{1,8}\S|(?:slaveof|replicaof)[ \t]{1,8}[\w.:-]{1,253}[ \t]{1,8}\d{1,5}[ \t]{0,8}\r?(?:\n|$)|module[ \t]{1,8}load[ \t]{1,8}[./])/;

/**
 * Schemes of protocols a URL fetcher should never speak for a client (gopher and dict reach any TCP
 * service), and the `http://unix:/path.sock:/route` form with which Node's request libraries speak to
 * a local socket (Docker's).
 */
export const INTERNAL_SCHEME_PATTERN =
  /(?:^|[\s=("',;])(?:gopher|dict|ldaps?|ldapi|tftp|netdoc|file|sftp|smb|ssh2\.(?:shell|exec|tunnel|sftp|scp)|ogg|rtsp|telnet|redis|memcached?|mysql|postgres(?:ql)?|mongodb|zookeeper|docker):\/\/|(?:^|[\s=("',;])jar:(?:https?|file|ftp):|(?:^|[\s=("',;])https?:\/\/unix:\//;

/** Schemes nothing but a forged request uses (a Redis or SMTP dialogue over gopher, dict's probes, Java's netdoc and jar, a Unix socket). */
const SSRF_ONLY_SCHEME = /(?:^|[\s=("',;])(?:gopher|dict|netdoc):\/\/|(?:^|[\s=("',;])jar:(?:https?|file|ftp):|(?:^|[\s=("',;])https?:\/\/unix:\//;

/**
 * A document's key that names what its reader fetches (`url: http://vault.svc:8200/…` in a
 * repository or webhook configuration posted as YAML or JSON): such a URL is the request's target,
 * whatever document holds it.
 */
const FETCH_KEY_BEFORE = /(?:url|uri|endpoint|webhook|callback|target|feed|repository|registry|src|source)["']?[ \t]{0,3}[:=][ \t]{0,3}["']?$/;

/** Metadata paths and names that give the target away even without a URL around them. */
export const METADATA_PATTERN =
  /169\.254\.169\.254|169\.254\.170\.2\b|\bmetadata\.google\.internal\b|\bmetadata\.goog\b|100\.100\.100\.200|\[?fd00:ec2::254|\bmetadata\.azure\.(?:com|internal)\b|\binstance-data(?:\.ec2\.internal)?\b|\/latest\/(?:meta-data|user-data|dynamic\/instance-identity|api\/token)|\/computemetadata\/v1|\/metadata\/(?:instance|identity)\b|\/opc\/v[12]\/(?:instance|identity)|\/metadata\/v1(?:\.json|\/)/;

/**
 * Hosts a browser sends as Referer or Origin when a local front end calls the API or a page of an
 * intranet site links on: `localhost`, `127.0.0.1`, `[::1]`, a LAN address, a name under a private
 * suffix (`wiki.corp.local`, `orders.example.internal`: ICANN keeps `.internal` for private use). Any
 * other loopback spelling is no browser's.
 */
const INTRANET_NAME_SOURCE = String.raw`(?:[\w-]{1,63}\.){1,6}(?:local|lan|corp|internal|intranet|localdomain|home\.arpa)`;
const BROWSER_DEV_HOST = new RegExp(
  String.raw`^(?:localhost|[\w-]{1,63}\.localhost|127\.0\.0\.1|\[::1\]|10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|${INTRANET_NAME_SOURCE})$`,
);

/**
 * Parameters naming where an OAuth or OpenID Connect server sends the browser back after login:
 * native and command-line apps receive it on a loopback port (RFC 8252, section 7.3), so a
 * loopback URL there is a login flow, not a URL the server fetches.
 */
const LOGIN_REDIRECT_PARAMETER = /(?:^|\.)(?:redirect_uris?|redirect_url|post_logout_redirect_uris?)(?:\[\])?$/;
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])$/;
/**
 * Parameters naming the page a sign-in or a form sends the browser to next (SharePoint's
 * `Source`, WS-Federation's `wreply` and `wctx`, SAML's `RelayState`, `returnUrl`, …): on an
 * intranet that page is on a host under a private suffix (`sp2016.corp.acme.local`). The browser
 * goes there; the server fetches nothing.
 */
const NAVIGATION_PARAMETER =
  /(?:^|\.)(?:source|wreply|wctx|relaystate|return_?url|return_?to|returnuri|redirect_?to|next|goto|continue|success_?url|cancel_?url)$/;
/** A name under a private suffix, as BROWSER_DEV_HOST reads one. */
const INTRANET_NAME = new RegExp(`^${INTRANET_NAME_SOURCE}$`);

const PREFILTER = /:\/\/|^\/\/|^0[x0-7]|\.0[x0-7]|169\.254|metadata|100\.100\.100\.200|instance-data|fd00:ec2|jar:|latest\/|\/opc\/v|2852039166/;

/**
 * A metadata service's host given bare (also as one decimal number), as a `host` or `endpoint`
 * parameter, a Host header or a proxy's target takes it.
 */
const METADATA_HOST =
  /^(?:169\.254\.169\.254|169\.254\.170\.2|2852039166|100\.100\.100\.200|metadata\.google\.internal|metadata\.goog|metadata\.azure\.(?:com|internal)|instance-data\.ec2\.internal)\.?$/;
/** A value of host-name characters only, a port after them at most: read for a bare metadata, callback or coded address host. */
const HOST_CHARACTERS = /^([a-z0-9.-]{1,255})(?::\d{1,5})?$/;
/**
 * An address written in hex or octal (`0x7f.0x0.0x0.0x1`, `0x7f000001`, `0177.0.0.1`): what no
 * one types for an address and what gets one past a check for `127.0.0.1` or `10.`. Decimal
 * forms, short hex numbers and octal-looking forms of fewer than four parts are left alone: a
 * bare number, `0x1a2b` or a date (`10.01.20`) is a value, not an address.
 */
function isCodedAddress(host: string): boolean {
  if (WHOLE_HEX_ADDRESS.test(host)) return true;
  const parts = host.split('.');
  if (parts.length < 2 || parts.length > 4 || !parts.every((part) => NUMERIC_PART.test(part))) return false;
  return parts.some((part) => part.startsWith('0x')) || (parts.length === 4 && parts.some((part) => OCTAL_PART.test(part)));
}
const WHOLE_HEX_ADDRESS = /^0x[0-9a-f]{7,8}$/;
const NUMERIC_PART = /^(?:0x[0-9a-f]{1,2}|\d{1,4})$/;
/** An octet written with a leading zero: octal to inet_aton. */
const OCTAL_PART = /^0\d/;

/** Whether a host (without its port, lower-cased) is a cloud metadata service's. */
export function isMetadataHost(host: string): boolean {
  return METADATA_HOST.test(host);
}

const METADATA_MATCHES = new RegExp(METADATA_PATTERN.source, 'g');
/** A prefix length after an address: what makes it a range. */
const CIDR_SUFFIX = /^\/\d{1,3}(?![\w./%-])/;
/** Most metadata names looked at in one value. */
const MAX_METADATA_MATCHES = 8;

/**
 * A metadata host or path written as a target: a path, a port or the value's end after the host,
 * or a metadata path itself. `169.254.169.254 metadata service docs` is a search about it.
 */
function namesMetadataTarget(text: string): boolean {
  METADATA_MATCHES.lastIndex = 0;
  for (let m = METADATA_MATCHES.exec(text), n = 0; m !== null && n < MAX_METADATA_MATCHES; m = METADATA_MATCHES.exec(text), n++) {
    const end = m.index + m[0].length;
    const next = text[end];
    // A network range (`169.254.169.254/32` in a network policy's or firewall's exceptions) is no address fetched.
    if (next === '/' && CIDR_SUFFIX.test(text.slice(end, end + 8))) continue;
    if (m[0].startsWith('/') || next === undefined || '/:?#]\\\'"'.includes(next)) return true;
  }
  return false;
}

/**
 * Where a converter or renderer fetches while it reads an uploaded file (an SVG or HTML page,
 * ImageMagick's MVG, an HLS playlist posing as a video for FFmpeg): a resource attribute, CSS's or
 * MVG's `url()`, a playlist's entry line, a part of FFmpeg's `concat:`. A URL anywhere else in a
 * file (a namespace, a link in text) is not fetched while the file is converted.
 */
const FETCHED_URLS: readonly RegExp[] = [
  /\b(?:href|src)\s{0,3}=\s{0,3}["']?\s{0,3}([a-z][a-z0-9+.-]{0,15}:[^\s"'<>)|]{1,300})/g,
  /\burl\(\s{0,3}["']?\s{0,3}([a-z][a-z0-9+.-]{0,15}:[^\s"'<>)|]{1,300})/g,
  /(?:^|\|)([a-z][a-z0-9+.-]{0,15}:\/\/[^\s"'<>|]{1,300})/gm,
];
const MAX_FETCHED_URLS = 16;
/** A local file URL's start, up to its path (without the slashes), with the drive letter. */
const LOCAL_FILE_URL = /^file:(?:\/\/(?:localhost)?)?\/{0,8}(?:([a-z]):\/{0,8})?/;

/**
 * An uploaded file that makes the server fetch when it converts it: from the metadata service or a
 * private address, or a system or credential file from its own disk (a linked image's
 * `file:///home/me/pic.png`, as drawing programs export them, is no attack).
 */
function inspectUpload(text: string, report: (rule: Rule) => void): void {
  let n = 0;
  for (const pattern of FETCHED_URLS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null && n < MAX_FETCHED_URLS; m = pattern.exec(text), n++) inspectFetchedUrl(m[1]!, report);
  }
}

function inspectFetchedUrl(url: string, report: (rule: Rule) => void): void {
  const file = LOCAL_FILE_URL.exec(url);
  if (file) {
    const path = url.slice(file[0].length);
    if (file[1] === undefined ? SYSTEM_ROOT.test(path) || CREDENTIAL_PATH.test(path) : WINDOWS_ROOT.test(path)) report(INTERNAL_SCHEME);
    return;
  }
  if (INTERNAL_SCHEME_PATTERN.test(url)) report(INTERNAL_SCHEME);
  for (const target of urlHosts(url)) {
    const kind = judgeHost(target.host).kind;
    if (kind === 'metadata') report(METADATA_SERVICE);
    else if (kind === 'internal') report(INTERNAL_ADDRESS);
  }
}

/** A fetch directive opening a Content-Security-Policy (CSP Level 3, section 6.1). */
const CSP_START = /^\s{0,5}(?:default|script|style|img|connect|font|object|media|frame|child|worker|manifest)-src(?:-elem|-attr)?\s/;
/** A policy directive: its name, then its sources. */
const CSP_DIRECTIVE = /^[a-z]{1,20}(?:-[a-z]{1,20}){0,3}(?:\s|$)/;

/** Every `;`-separated part of the value is a directive: the value is a policy, not text holding one. */
function isContentSecurityPolicy(text: string): boolean {
  return text.split(';').every((part) => {
    const directive = part.trim();
    return directive === '' || CSP_DIRECTIVE.test(directive);
  });
}

function inspect(v: InspectedValue, report: (rule: Rule) => void): void {
  const text = v.lower;
  if (v.location === 'upload') {
    inspectUpload(text, report);
    return;
  }
  // A service mesh's sidecar (Envoy, Istio) names the client's and its own SPIFFE identities: URIs, never fetched.
  if (v.location === 'header' && v.lowerName === 'x-forwarded-client-cert') return;
  // A Content-Security-Policy (a security-headers setting, a browser's violation report quoting the
  // page's policy) lists the hosts a page may load from: allowed, never fetched (`ws://localhost:*`).
  if (CSP_START.test(text) && isContentSecurityPolicy(text)) return;
  const bare = HOST_CHARACTERS.exec(text);
  if (bare !== null) {
    // A bare host: a `host` parameter, a path segment naming one, or the Host or X-Forwarded-Host header a reset link is built from.
    const host = bare[1]!;
    if (METADATA_HOST.test(host)) report(METADATA_SERVICE);
    else if (isCodedAddress(host)) {
      // Reported as such a URL's host is: the coding, and what it points at.
      const verdict = judgeHost(host);
      if (verdict.obfuscated && (verdict.kind === 'internal' || verdict.kind === 'metadata')) {
        report(OBFUSCATED_ADDRESS);
        report(verdict.kind === 'metadata' ? METADATA_SERVICE : INTERNAL_ADDRESS);
      }
    } else if (judgeHost(host).kind === 'interaction') report(INTERACTION_HOST);
    return;
  }
  // A Referer or Origin naming the site's own development host is everyday traffic: in those
  // headers only what no browser sends counts (metadata, obfuscated notations, rebinding names).
  const urlHeader = v.location === 'header' && URL_HEADERS.has(v.lowerName);
  // Browsers write a Referer or Origin as the URL itself; one that only decoding turns into a URL was written by a tool.
  const browserUrl = urlHeader && (v.raw.indexOf('://') >= 0 || v.raw.startsWith('//'));
  const loginRedirect = v.location !== 'header' && LOGIN_REDIRECT_PARAMETER.test(v.lowerName);
  const navigation = (v.location === 'query' || v.location === 'body_form') && NAVIGATION_PARAMETER.test(v.lowerName);
  // A post, or a config or script file written out in lines (a Dockerfile, a kubeconfig, a wiki
  // page's setup steps), names the internal services it configures or discusses: a plain URL to a
  // private address, or a connection string, is its subject, unless a key says it is fetched
  // (FETCH_KEY_BEFORE). Metadata addresses, obfuscated and confusing ones, and the schemes only
  // SSRF uses still count there.
  // Asked only of a value holding an internal scheme or host: reading it for prose costs a pass.
  let document: boolean | undefined;
  const inDocument = (): boolean => (document ??= v.prose || isWrittenOutDocument(text));
  if (!urlHeader && INTERNAL_SCHEME_PATTERN.test(text) && (!inDocument() || SSRF_ONLY_SCHEME.test(text))) report(INTERNAL_SCHEME);
  if (METADATA_PATTERN.test(text) && namesMetadataTarget(text)) report(METADATA_SERVICE);
  if (text.indexOf('://') < 0 && !text.startsWith('//')) return;
  for (const url of urlHosts(text)) {
    // RFC 3986 schemes start with a letter; a digit scheme (`0://`) is a parser trick only with a dotted host.
    if (url.scheme !== '' && !/^[a-z]/.test(url.scheme) && url.host.indexOf('.') < 0) continue;
    if (url.confusing && !CONNECTION_SCHEME.test(url.scheme)) report(CONFUSING_AUTHORITY);
    const verdict = judgeHost(url.host);
    if (verdict.obfuscated) report(OBFUSCATED_ADDRESS);
    switch (verdict.kind) {
      case 'metadata':
        report(METADATA_SERVICE);
        break;
      case 'internal':
        if (loginRedirect && url.at === 0 && url.plain && !verdict.obfuscated && LOOPBACK_HOST.test(url.host)) break;
        if (navigation && url.at === 0 && url.plain && !verdict.obfuscated && INTRANET_NAME.test(url.host)) break;
        if (url.plain && !verdict.obfuscated && inDocument() && !FETCH_KEY_BEFORE.test(text.slice(Math.max(0, url.at - 40), url.at))) break;
        if (!browserUrl || verdict.obfuscated || url.at > 0 || !url.plain || !BROWSER_DEV_HOST.test(url.host)) report(INTERNAL_ADDRESS);
        break;
      case 'rebinding':
        report(REBINDING_NAME);
        break;
      case 'interaction':
        report(INTERACTION_HOST);
        break;
      default:
        break;
    }
  }
}

export const ssrfPack: RulePack = {
  name: 'ssrf',
  // Plain values too: `host=169.254.169.254` names the metadata service in plain characters.
  readsPlainValues: true,
  readsUploads: true,
  classification: 'Ssrf',
  rules: SSRF_RULES,
  // A callback host given bare (`host=x.oastify.com`) has none of the above.
  prefilter: (v) => PREFILTER.test(v.lower) || mayNameInteractionHost(v.lower),
  inspect,
};

/** Redis commands in a text body (see REDIS_COMMANDS). */
export function redisCommandHits(request: RequestView): AttackHit[] {
  const body = request.body;
  if (body.kind === 'none' || body.kind === 'binary' || body.kind === 'multipart' || body.text.length === 0) return [];
  const lower = body.text.toLowerCase();
  if (lower.indexOf('config') < 0 && lower.indexOf('slaveof') < 0 && lower.indexOf('replicaof') < 0 && lower.indexOf('module') < 0) return [];
  const match = REDIS_COMMAND_LINE.exec(lower);
  return match === null ? [] : [{ rule: REDIS_COMMANDS, location: 'body', parameter: '', value: match[0].trim(), score: ruleScore(REDIS_COMMANDS) }];
}
