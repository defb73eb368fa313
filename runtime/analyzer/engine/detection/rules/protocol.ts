/**
 * Request smuggling and protocol anomalies, judged from the request line and headers, not from a
 * value: conflicting message framing (how requests are smuggled past a front-end proxy), headers
 * HTTP/1.1 forbids twice, hop-by-hop lists that strip a proxy's own headers, byte ranges that
 * make a server build thousands of parts, body charsets only a filter bypass uses, methods
 * browsers never send, Host values a URL builder reads as another host, and headers that route a
 * request to another path than its request line names. Each reads a few headers the request view
 * already holds; one reads the start of the body for a second request inside it.
 */
import { lowerHeaderName, TRAILER_SUFFIX, UNREAD_BODY_BYTES, UNREAD_SHADOWED_JSON, type Parameter, type RequestView } from '../../message-view';
import { isHttpToken } from '../../../../http-token';
import { boundaryParameters, isMultipartType } from '../../../../multipart';
import type { AttackHit, Rule } from '../types';
import { percentDecode } from '../decode';
import { siteOf } from '../../site';
import { judgeHost, mayNameInteractionHost } from '../address';
import { INTERACTION_HOST, INTERNAL_ADDRESS, isMetadataHost, METADATA_SERVICE } from './ssrf';
import { ruleScore } from '../scoring';
import type { RegexRule } from './regex-rule';

/** Matched against `te=<Transfer-Encoding or ->;cl=<number of Content-Length headers>`. */
const FRAMING_RULES: readonly RegexRule[] = [
  {
    id: 960101,
    classification: 'RequestSmuggling',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'SmugglingAnalyzer: both Content-Length and Transfer-Encoding, or several Content-Length values',
    pattern: /^te=(?!-;)[^;]{1,200};cl=[1-9]|;cl=(?:[2-9]|\d{2,4})$/,
  },
  {
    id: 960102,
    classification: 'RequestSmuggling',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'SmugglingAnalyzer: obfuscated Transfer-Encoding',
    pattern: /^te=(?!\s{0,5}chunked\s{0,5};)[^;]{0,200}chunked/,
  },
];

const SEVERAL_HOSTS: Rule = {
  id: 960103,
  classification: 'RequestSmuggling',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description: 'SmugglingAnalyzer: several Host headers (HTTP/1.1 requires exactly one; proxies and servers may pick different ones)',
};
const TARGET_HOST_MISMATCH: Rule = {
  id: 960104,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 60,
  severity: 'error',
  confidence: 'high',
  description: 'ProtocolAnalyzer: absolute request target naming another host than the Host header (routing or cache confusion)',
};
const RANGE_ABUSE: Rule = {
  id: 960105,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description:
    'ProtocolAnalyzer: byte-range request with many or overlapping ranges (multipart answer amplification, denial of service), or a bound past any file (MS15-034)',
};
const HOP_BY_HOP_ABUSE: Rule = {
  id: 960106,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 65,
  severity: 'critical',
  confidence: 'high',
  description: 'ProtocolAnalyzer: Connection header naming an end-to-end header (a proxy drops it: its client address, credentials or framing)',
};
const BYPASS_CHARSET: Rule = {
  id: 960107,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description: 'ProtocolAnalyzer: request body in a charset only filter evasion uses (EBCDIC, UTF-7, UTF-32)',
};
const TRACE_METHOD: Rule = {
  id: 960108,
  classification: 'ProtocolAnomaly',
  state: 'Reconnaissance',
  risk: 50,
  severity: 'critical',
  confidence: 'high',
  description:
    'ProtocolAnalyzer: TRACE, TRACK or DEBUG method, directly or through a method-override header (cross-site tracing, debug endpoints), or a method no server defines (verb tampering: JEFF)',
};
const SEVERAL_BOUNDARIES: Rule = {
  id: 960109,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 55,
  severity: 'error',
  confidence: 'high',
  description: 'ProtocolAnalyzer: multipart body with several boundary parameters (parsers disagree on where its parts are)',
};
const BODY_ON_BODILESS_METHOD: Rule = {
  id: 960110,
  classification: 'ProtocolAnomaly',
  state: 'Reconnaissance',
  risk: 25,
  severity: 'warning',
  confidence: 'medium',
  description: 'ProtocolAnalyzer: GET or HEAD request with a body (some APIs do this; so do smuggling probes)',
};

const PADDED_PAST_LIMITS: Rule = {
  id: 960111,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description:
    "ProtocolAnalyzer: more headers, parameters, nesting or values than the analyzer reads (thousands; real requests stay far below): padding hides a payload past a filter's limits",
};
const BODY_PAST_LIMIT: Rule = {
  id: 960112,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 40,
  severity: 'error',
  confidence: 'high',
  description: 'ProtocolAnalyzer: text, form, JSON or XML body longer than the analyzer reads (its rest is not inspected)',
};
const SMUGGLED_FRAMING_FIELD: Rule = {
  id: 960113,
  classification: 'RequestSmuggling',
  state: 'Exploitation',
  risk: 80,
  severity: 'critical',
  confidence: 'high',
  description:
    'SmugglingAnalyzer: Transfer-Encoding, Content-Length or Host header spelt with whitespace, control bytes or underscores in its name (`Transfer-Encoding : chunked`, `Transfer_Encoding`): one server ignores it, another trims or normalises the name and frames or routes by it',
};
const INVALID_FIELD_NAME: Rule = {
  id: 960114,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 50,
  severity: 'error',
  confidence: 'high',
  description:
    'ProtocolAnalyzer: header whose name is no HTTP token, such as a line with spaces and no colon (no browser sends one; servers disagree whether to reject, drop or read it)',
};

const MALFORMED_LENGTH: Rule = {
  id: 960115,
  classification: 'RequestSmuggling',
  state: 'Exploitation',
  risk: 80,
  severity: 'critical',
  confidence: 'high',
  description:
    'SmugglingAnalyzer: Content-Length that is not a plain number (`+5`, `-1`, `5, 5`, `0x5`): parsers that read it differently frame the body differently',
};
const SMUGGLED_REQUEST: Rule = {
  id: 960116,
  classification: 'RequestSmuggling',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description:
    "SmugglingAnalyzer: a second request inside the body (a request line as the body's first line), or a body still in chunked framing with bytes or a broken trailer after its last chunk: what one server reads as the body, the next reads as another request",
};
const BODILESS_CHUNKED: Rule = {
  id: 960117,
  classification: 'RequestSmuggling',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description:
    'SmugglingAnalyzer: GET or HEAD request framed by Transfer-Encoding (a front end that takes such requests as bodiless reads the body as the next request)',
};
const MALFORMED_HOST: Rule = {
  id: 960118,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description:
    'ProtocolAnalyzer: Host or X-Forwarded-Host that is no host[:port] (user info `a.com:@evil.tld`, a second host after a space, a path): links built from it point elsewhere (password-reset poisoning, cache poisoning)',
};
const FORWARDED_HOST_ELSEWHERE: Rule = {
  id: 960119,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 35,
  severity: 'warning',
  confidence: 'medium',
  description:
    'ProtocolAnalyzer: X-Forwarded-Host naming another site than Host (host-header poisoning; CDNs and proxies also set it to the public name in front of an origin host)',
};
const RESET_LINK_POISONING: Rule = {
  id: 960134,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description:
    "ProtocolAnalyzer: a password-reset request whose X-Forwarded-Host (or Forwarded host) names another site than its own public Host: the application builds the emailed reset link from it, and the victim's token goes to that site (reset-link poisoning)",
};
const UNSAFE_METHOD_OVERRIDE: Rule = {
  id: 960135,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description:
    'ProtocolAnalyzer: a GET or HEAD request that asks, through a method override (`_method=DELETE`, X-HTTP-Method-Override), to be handled as DELETE, PUT or PATCH: a state change that a link or an image on another site can trigger (request forgery through a safe method)',
};
const PATH_OVERRIDE: Rule = {
  id: 960120,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 75,
  // Level 2: IIS URL Rewrite and ARR send the URL before their rewrite in X-Original-URL on every
  // request they forward, so behind them the header differs from the request line all day.
  severity: 'error',
  confidence: 'high',
  description:
    'ProtocolAnalyzer: X-Original-URL or X-Rewrite-URL naming another path than the request line (a front end checks access on the request line, the application routes by the header)',
};
const AUTHORITY_IN_QUERY: Rule = {
  id: 960121,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description:
    'ProtocolAnalyzer: query opening with @host/path (a front end that rebuilds the URL from the target reads it as the authority and path of an internal request: ProxyShell)',
};

const EVASIVE_PATH: Rule = {
  id: 960131,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description:
    "ProtocolAnalyzer: path spelt so a front end's access rule or cache and the server read it differently (a letter percent-encoded, an empty path parameter /admin;/, a . segment, a segment ending in an encoded space or control byte, a fullwidth slash, a static file name after a script or an encoded delimiter)",
};

/**
 * Spellings of a path that no browser or client library sends: each makes a front end that matches
 * the path as written (`/admin` denied) and a server that normalises it (Tomcat drops `;` path
 * parameters, IIS trailing dots and spaces, every server `%61` and `.` segments) disagree.
 */
const EVASIVE_PATH_SPELLINGS: ReadonlyArray<readonly [RegExp, string]> = [
  [/%(?:4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a])/i, 'a letter percent-encoded'],
  [/;(?:\/|$)/, 'empty path parameter'],
  [/\/(?:\.|%2e)(?:\/|$)/i, 'a . segment'],
  [/\.[a-z0-9]{2,8}(?:\.|%20|::\$data)$/i, 'file name ending in a dot, a space or ::$DATA'],
  // Servers trim a segment's trailing whitespace (IIS, Windows) or stop at a line break (Spring
  // Security's regex matchers before CVE-2022-22978); a rule for `/admin` does not. A segment of
  // words with spaces between them (a title in a path) is not that.
  [/\/[^/%]{0,80}(?:%20|%09|%0a|%0d|%00){1,8}(?:\/|$)/i, 'a segment ending in an encoded space or control byte'],
  [/%ef%bc%8f|%ef%bc%bc|%e2%88%95|%e2%81%84/i, 'a fullwidth or look-alike slash'],
  // A cache keys on the extension, the server on the script or route before it: the victim's
  // page is stored as a static file (web cache deception). Not after `;`, `!`, `%23` or `%3F`: ad
  // servers' path parameters, image services' style suffixes (`@976w!cover.avif`), sprite and
  // product images named with `#` or `?` use them.
  [
    /\.(?:php\d?|aspx?|jsp|do|action|cfm|cgi)\/[^/]{1,80}\.(?:css|js|png|jpe?g|gif|ico|svg|woff2?|ttf|avif|webp)$|(?:%0a|%0d|%00|%2e)[^/]{0,40}\.(?:css|js|png|jpe?g|gif|ico|svg|woff2?|ttf|avif|webp)$/i,
    'a static file name after a script or an encoded delimiter (web cache deception)',
  ],
];

const LOOPBACK_CLIENT_SPRAY: Rule = {
  id: 960132,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description:
    'ProtocolAnalyzer: the client claimed to be the machine itself in three client-address headers or more at once (X-Forwarded-For, X-Real-IP, X-Client-IP, True-Client-IP, ...: a 403-bypass spray)',
};

/** Headers an application or a proxy's access rule reads the client's address from. */
const CLIENT_ADDRESS_HEADERS = [
  'x-forwarded-for',
  'x-real-ip',
  'x-client-ip',
  'client-ip',
  'true-client-ip',
  'x-originating-ip',
  'x-remote-ip',
  'x-remote-addr',
  'x-remote-host',
  'x-cluster-client-ip',
  'x-custom-ip-authorization',
  'x-original-remote-addr',
  'cf-connecting-ip',
  'fastly-client-ip',
] as const;
/** A proxy on the same machine sets two (X-Forwarded-For and X-Real-IP); a spray sets them all. */
const MIN_SPRAYED_HEADERS = 3;
const LOOPBACK_VALUE = /^\s{0,4}(?:127(?:\.\d{1,3}){3}|::1|\[::1\]|localhost|0\.0\.0\.0|0)(?::\d{1,5})?\s{0,4}$/i;

/**
 * HTTP/2 over cleartext asked for on a TLS connection: RFC 7540 allows the h2c upgrade only over
 * cleartext, so a proxy that forwards it lets the client talk HTTP/2 straight to the back end,
 * past the proxy's rules (h2c smuggling). Cleartext upgrades are legitimate (curl --http2 sends one).
 */
const H2C_OVER_TLS: Rule = {
  id: 960122,
  classification: 'RequestSmuggling',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description: 'SmugglingAnalyzer: Upgrade to h2c on a TLS connection (h2c smuggling past the proxy to the back end)',
};

/**
 * Next.js marks the requests its middleware makes to the app itself with `x-middleware-subrequest`
 * (naming the middleware) so they skip the middleware: a client that sends it skips the
 * middleware's authentication and redirects (CVE-2025-29927). No browser or API client sends it.
 */
const MIDDLEWARE_SUBREQUEST: Rule = {
  id: 960123,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 80,
  severity: 'critical',
  confidence: 'high',
  description: "ProtocolAnalyzer: Next.js's internal x-middleware-subrequest header from a client (middleware and its access checks skipped, CVE-2025-29927)",
};

const TRAILED_HEADER_FIELD: Rule = {
  id: 960133,
  classification: 'RequestSmuggling',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description:
    'SmugglingAnalyzer: a chunked body trailer carrying a field only the header section may (Host, framing, forwarding, credentials, cookies; RFC 9110 section 6.5.1): a server that merges trailers into the headers takes it, one that checked the headers never saw it',
};

/**
 * A check that failed on the request (a bug of ours, found by this input): what it would have
 * read went unread, a blind spot like padding past the limits, so it alerts as padding does. The
 * event names the value, which is what a bug report needs; the failures are counted too
 * (EngineCounters.detector_errors). The other checks still read everything.
 */
export const ANALYSIS_FAULT: Rule = {
  id: 960124,
  classification: 'ProtocolAnomaly',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: 'ProtocolAnalyzer: a check of the analyzer failed on this value or request, so part of it went unread (counted in engine_detector_errors)',
};

/** Every protocol rule, for the rule catalogue and its checks. */
export const PROTOCOL_RULES: readonly Rule[] = [
  ...FRAMING_RULES,
  SEVERAL_HOSTS,
  TARGET_HOST_MISMATCH,
  RANGE_ABUSE,
  HOP_BY_HOP_ABUSE,
  BYPASS_CHARSET,
  TRACE_METHOD,
  SEVERAL_BOUNDARIES,
  BODY_ON_BODILESS_METHOD,
  PADDED_PAST_LIMITS,
  BODY_PAST_LIMIT,
  SMUGGLED_FRAMING_FIELD,
  INVALID_FIELD_NAME,
  MALFORMED_LENGTH,
  SMUGGLED_REQUEST,
  BODILESS_CHUNKED,
  MALFORMED_HOST,
  FORWARDED_HOST_ELSEWHERE,
  RESET_LINK_POISONING,
  UNSAFE_METHOD_OVERRIDE,
  PATH_OVERRIDE,
  H2C_OVER_TLS,
  AUTHORITY_IN_QUERY,
  MIDDLEWARE_SUBREQUEST,
  EVASIVE_PATH,
  LOOPBACK_CLIENT_SPRAY,
  TRAILED_HEADER_FIELD,
  ANALYSIS_FAULT,
];

/** More ranges than a media player or download manager asks for in one request. */
const MAX_PLAIN_RANGES = 10;
/** Ranges read from one header at most (the rest cannot make the verdict milder). */
const MAX_RANGES_READ = 200;
/**
 * Headers a proxy must forward end to end: naming one in `Connection` makes a hop drop it
 * (a client address the application trusts, credentials, the framing, the host).
 */
const END_TO_END_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'authorization',
  'cookie',
  'content-length',
  'content-type',
  'transfer-encoding',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'forwarded',
  'x-api-key',
  'proxy-authorization',
  'x-csrf-token',
]);
/** Charsets no browser sends and a back end may still decode (IBM EBCDIC code pages, UTF-7, UTF-32). */
const BYPASS_CHARSET_NAME =
  /(?:ibm-?0?(?:37|273|277|278|280|284|285|290|297|420|424|500|870|871|875|1026|1047|1140|1141|1142|1143|1144|1145|1146|1147|1148|1149)|cp-?0?(?:37|273|500|875|1026|1047|1140)|ebcdic[\w-]{0,20}|utf-?7|utf-?32(?:-?[bl]e)?|x-imap4-modified-utf7)\b/;
const BYPASS_CHARSETS = new RegExp(`;\\s{0,5}charset\\s{0,5}=\\s{0,5}["']?${BYPASS_CHARSET_NAME.source}`);
/** A multipart part's Content-Type line naming one of them (a form's fields decoded one by one, each in its part's charset). */
const PART_BYPASS_CHARSET = new RegExp(
  `^[ \\t]{0,8}content-type[ \\t]{0,8}:[^\\r\\n]{0,200}?;\\s{0,5}charset\\s{0,5}=\\s{0,5}["']?${BYPASS_CHARSET_NAME.source}`,
  'im',
);
/**
 * The form field HTML names for the charset a form was sent in (`_charset_`): Apache Sling (AEM)
 * and others decode the other fields in the charset it names.
 */
const CHARSET_FIELD = '_charset_';
/** An XML document in EBCDIC: `<?xm` in code page 037, how XML parsers detect it (XML 1.0, appendix F). */
const EBCDIC_XML_START = Buffer.from([0x4c, 0x6f, 0xa7, 0x94]);

function isCharsetField(parameter: Parameter): boolean {
  return parameter.name === CHARSET_FIELD;
}

function opensWith(bytes: Uint8Array | undefined, start: Uint8Array): boolean {
  return bytes !== undefined && bytes.length >= start.length && start.every((byte, i) => bytes[i] === byte);
}
const TRACE_METHODS: ReadonlySet<string> = new Set(['TRACE', 'TRACK', 'DEBUG']);
/**
 * Methods servers and proxies define: HTTP's own, WebDAV's and its versioning, calendar and binding
 * extensions, UPnP's, Outlook Anywhere's RPC channels, cache purges, HashiCorp Vault's LIST and
 * HTTP/2's preface. Any other (`JEFF`) is sent to find an access rule written for named methods
 * only (verb tampering).
 */
const KNOWN_METHODS: ReadonlySet<string> = new Set(
  (
    'GET HEAD POST PUT DELETE OPTIONS PATCH CONNECT QUERY PRI ' +
    'PROPFIND PROPPATCH MKCOL COPY MOVE LOCK UNLOCK SEARCH REPORT MKCALENDAR MKREDIRECTREF UPDATEREDIRECTREF ' +
    'ACL BIND UNBIND REBIND ORDERPATCH VERSION-CONTROL CHECKOUT CHECKIN UNCHECKOUT MKWORKSPACE MKACTIVITY UPDATE LABEL MERGE BASELINE-CONTROL ' +
    'SUBSCRIBE UNSUBSCRIBE NOTIFY M-SEARCH POLL BMOVE BCOPY BDELETE BPROPFIND BPROPPATCH ' +
    'RPC_IN_DATA RPC_OUT_DATA PURGE BAN LINK UNLINK LIST'
  ).split(' '),
);
const METHOD_OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override'];
/** Query parameters that frameworks' method-override middleware reads (Rails, Laravel, Express's method-override, Symfony). */
const METHOD_OVERRIDE_PARAMETER = /^(?:_method|x-http-method-override|x-http-method|x-method-override)$/i;
/**
 * Methods that change state. An override to POST on a GET is how Google's APIs tunnel a long
 * request (Chrome's Safe Browsing sends it), so POST is not among them.
 */
const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['DELETE', 'PUT', 'PATCH']);

/** The override a GET or HEAD asks for to a state-changing method, as `name: value`, or undefined. */
function unsafeOverride(request: RequestView): string | undefined {
  for (const name of METHOD_OVERRIDE_HEADERS) {
    const override = request.header.get(name);
    if (override !== undefined && STATE_CHANGING_METHODS.has(override.trim().toUpperCase())) return `${name}: ${override}`;
  }
  const parameter = request.query.find((p) => METHOD_OVERRIDE_PARAMETER.test(p.name) && STATE_CHANGING_METHODS.has(p.value.trim().toUpperCase()));
  return parameter === undefined ? undefined : `${parameter.name}=${parameter.value}`;
}
/** Whitespace and control bytes a lenient server trims from a name. */
const NAME_PADDING = /[\x00-\x20\x7f]/g;
/** Header names seen to be tokens: names repeat on every request, the test need not. */
const tokenNames = new Set<string>();

function isTokenName(name: string): boolean {
  if (tokenNames.has(name)) return true;
  if (!isHttpToken(name)) return false;
  if (tokenNames.size >= 4096) tokenNames.clear();
  tokenNames.add(name);
  return true;
}

const FRAMING_AND_ROUTING = new Set(['transfer-encoding', 'content-length', 'host']);
/** A Content-Length every parser reads the same way. */
const PLAIN_LENGTH = /^[ \t]{0,8}\d{1,19}[ \t]{0,8}$/;
/** A host name or address literal with an optional port: what Host holds (RFC 9110 section 7.2). */
const HOST_VALUE = /^(?:[a-z0-9_.-]{1,253}|\[[0-9a-f:.]{2,45}(?:%25[\w.~-]{1,32})?\])(?::\d{0,5})?$/i;
/** Headers proxies use to pass the original host on (a URL builder may prefer them to Host). */
const FORWARDED_HOST_HEADERS = ['x-forwarded-host', 'x-host', 'x-http-host-override', 'x-original-host'];
/** A `host=` parameter of a Forwarded header, quoted or not. */
const FORWARDED_HOST_PARAMETER = /(?:^|[;,\s])host\s{0,5}=\s{0,5}(?:"([^"]{0,300})"|([^;,\s]{0,300}))/i;
/** Headers IIS's URL Rewrite and frameworks that trust it (Symfony, Zend) route by. */
const PATH_OVERRIDE_HEADERS = ['x-original-url', 'x-rewrite-url'];
const H2C_UPGRADE = /(?:^|[\s,])h2c(?:$|[\s,])/i;
/** `?@evil.example/EWS/exchange.asmx`: a query that reads as an authority and a path. */
const AUTHORITY_QUERY = /^(?:@|%40)[^&=/?#]{0,200}(?:\/|%2f)/i;
/** A request line: method, target, HTTP/1.x. */
const REQUEST_LINE = /^[A-Z]{3,12} (?:\/|https?:\/\/|\*)\S{0,2048} HTTP\/1\.\d{1,3}\r?\n/;
/** The start of a request line (a method and its target), as a smuggled prefix begins. */
const REQUEST_LINE_START = /^[A-Z]{3,12} (?:\/|https?:\/\/|\*)/;
/** Media types whose body is an HTTP message by design (batch parts, message/http). */
const HTTP_MESSAGE_TYPE = /^\s{0,5}(?:message|application)\/http\b/i;
/** A chunk-size line: hex size, optional extensions. */
const CHUNK_SIZE_LINE = /^([0-9a-f]{1,8})(?:[ \t]{0,8};[^\r\n]{0,128})?[ \t]{0,8}\r$/i;
const TRAILER_FIELD = /^[!#$%&'*+\-.^_`|~0-9a-z]{1,64}:/i;
/** Chunks and trailer lines followed at most (a real chunked body the parse gives up on is simply not reported). */
const MAX_CHUNKS = 64;
const MAX_TRAILERS = 16;

function hit(rule: Rule, parameter: string, value: string): AttackHit {
  return { rule, location: 'header', parameter, value, score: ruleScore(rule) };
}

function framingHits(request: RequestView, lengths: number, hits: AttackHit[]): void {
  const te = request.header.get('transfer-encoding');
  if (te === undefined && lengths <= 1) return;
  const summary = `te=${te === undefined ? '-' : te.toLowerCase().replace(/;/g, ',')};cl=${lengths}`;
  const parameter = te !== undefined ? 'Transfer-Encoding' : 'Content-Length';
  for (const rule of FRAMING_RULES) if (rule.pattern.test(summary)) hits.push(hit(rule, parameter, summary));
}

/** The host of an absolute-form target (`http://h:p/x`), lower-cased without a default port, or undefined for other forms. */
function targetAuthority(target: string): string | undefined {
  const match = /^https?:\/\/([^/?#\s]{1,260})/i.exec(target);
  return match === null ? undefined : withoutDefaultPort(match[1]!.slice(match[1]!.lastIndexOf('@') + 1));
}

/** A Host value or an authority without its port, lower-cased. */
function hostName(authority: string): string {
  return authority
    .trim()
    .toLowerCase()
    .replace(/:\d{0,5}$/, '');
}

function withoutDefaultPort(authority: string): string {
  return authority.toLowerCase().replace(/:(?:80|443)$/, '');
}

const RANGE_HEADERS = ['range', 'request-range'] as const;
/**
 * A range bound of 16 digits or more, past any file a server holds: `bytes=0-18446744073709551615`
 * overflows HTTP.sys's length arithmetic (MS15-034, a crash or a memory read).
 */
const OVERFLOWING_RANGE = /\d{16}/;

/** `bytes=0-,5-0,5-1,…`: too many ranges, or ranges that overlap (a server answers each as its own part). */
function abusiveRanges(range: string): boolean {
  const eq = range.indexOf('=');
  if (eq < 0) return false;
  const specs = range.slice(eq + 1).split(',', MAX_RANGES_READ + 1);
  if (specs.length > MAX_PLAIN_RANGES) return true;
  const spans: Array<readonly [number, number]> = [];
  for (const spec of specs) {
    const match = /^\s{0,5}(\d{0,15})\s{0,5}-\s{0,5}(\d{0,15})\s{0,5}$/.exec(spec);
    if (match === null || (match[1] === '' && match[2] === '')) continue;
    // A suffix range (`-500`) counts from an end the request does not know: it overlaps any other.
    if (match[1] === '') return specs.length > 1;
    const start = Number(match[1]);
    const end = match[2] === '' ? Number.MAX_SAFE_INTEGER : Number(match[2]);
    for (const [s, e] of spans) if (start <= e && s <= end) return true;
    spans.push([start, end]);
  }
  return false;
}

/**
 * Names of a product's own credential and client-identity headers (`X-F5-Auth-Token`,
 * `X-Client-IP`, `X-Session-Id`): dropped by a hop, they let the request past a check that
 * trusts their absence (F5 BIG-IP, CVE-2022-1388). No hop-by-hop header is named so.
 */
const CREDENTIAL_HEADER_NAME =
  /(?:^|-)(?:auth|authn|authz|token|api-?key|session|secret|credentials?|signature|client-ip|real-ip|remote-(?:addr|user)|forwarded)(?:-|$)/;

/** `Connection` names an end-to-end header. */
function dropsEndToEndHeader(connection: string): boolean {
  return connection.split(',', 32).some((token) => {
    const name = token.trim().toLowerCase();
    return END_TO_END_HEADERS.has(name) || CREDENTIAL_HEADER_NAME.test(name);
  });
}

/**
 * Where a body still in chunked framing ends (past its last chunk and trailers), `-1` when it is
 * not chunked text, or `-2` when its trailer section holds a request line. Chunked framing is CRLF
 * throughout: a text of lines that merely start with digits (`0\n1\n2`, a CSV) is not chunked.
 */
function chunkedEnd(text: string): number {
  let at = 0;
  for (let chunk = 0; chunk < MAX_CHUNKS; chunk++) {
    const eol = text.indexOf('\n', at);
    if (eol < 0 || eol - at > 160) return -1;
    const size = CHUNK_SIZE_LINE.exec(text.slice(at, eol));
    if (size === null) return -1;
    at = eol + 1;
    const length = parseInt(size[1]!, 16);
    if (length > 0) {
      // Sizes count bytes and the text characters: a body with other than ASCII stops here.
      at += length;
      if (!text.startsWith('\r\n', at)) return -1;
      at += 2;
      continue;
    }
    for (let trailer = 0; trailer < MAX_TRAILERS; trailer++) {
      const end = text.indexOf('\n', at);
      const line = (end < 0 ? text.slice(at) : text.slice(at, end)).replace(/\r$/, '');
      if (line === '') return end < 0 ? text.length : end + 1;
      if (!TRAILER_FIELD.test(line)) return REQUEST_LINE_START.test(line) ? -2 : -1;
      if (end < 0) return text.length;
      at = end + 1;
    }
    return -1;
  }
  return -1;
}

/** The body holds a second request: as its first line, or after the last chunk of a body still in chunked framing. */
function smuggledInBody(request: RequestView): boolean {
  const body = request.body;
  if (body.kind === 'none' || body.kind === 'binary') return false;
  const first = body.text.charCodeAt(0);
  if (first >= 65 && first <= 90) return REQUEST_LINE.test(body.text) && !HTTP_MESSAGE_TYPE.test(body.contentType);
  const hex = (first >= 48 && first <= 57) || (first >= 97 && first <= 102) || (first >= 65 && first <= 70);
  if (!hex) return false;
  const end = chunkedEnd(body.text);
  return end === -2 || (end >= 0 && body.text.slice(end).trim() !== '');
}

/** A Host-like value is a host name or address literal with an optional port. */
function validHost(value: string): boolean {
  return HOST_VALUE.test(value.trim());
}

/** Forwarded-host values a request carries: the listed headers' (each element of a list) and Forwarded's `host=`. */
function forwardedHosts(request: RequestView): Array<{ header: string; host: string }> {
  const out: Array<{ header: string; host: string }> = [];
  for (const name of FORWARDED_HOST_HEADERS) {
    const value = request.header.get(name);
    if (value !== undefined) for (const host of value.split(',', 8)) out.push({ header: name, host: host.trim() });
  }
  const forwarded = request.header.get('forwarded');
  const parameter = forwarded === undefined ? null : FORWARDED_HOST_PARAMETER.exec(forwarded);
  if (parameter !== null) out.push({ header: 'forwarded', host: (parameter[1] ?? parameter[2] ?? '').trim() });
  return out;
}

/** A public DNS name (not an address literal, `localhost` or a single-label internal name). */
function publicName(host: string): boolean {
  return host.indexOf('.') > 0 && !/^[\d.]+$/.test(host) && !host.startsWith('[') && !host.endsWith('.local') && !host.endsWith('.internal');
}

function hostHits(request: RequestView, host: string | undefined, hits: AttackHit[]): void {
  if (host !== undefined && host.trim() !== '' && !validHost(host)) hits.push(hit(MALFORMED_HOST, 'Host', host));
  const forwarded = forwardedHosts(request);
  if (forwarded.length === 0) return;
  const invalid = forwarded.find((f) => f.host !== '' && !validHost(f.host));
  if (invalid !== undefined) {
    hits.push(hit(MALFORMED_HOST, invalid.header, invalid.host));
    return;
  }
  // The first element is the client-facing host the first proxy saw.
  const first = forwarded[0]!;
  if (first.host !== '' && publicName(request.host) && siteOf(hostName(first.host)) !== siteOf(request.host)) {
    hits.push(hit(FORWARDED_HOST_ELSEWHERE, first.header, first.host));
    // A proxy in front of a platform's origin name sends the site's own name on; a request that
    // reached the site by its own name has no proxy to speak for another one.
    if (PASSWORD_RESET.test(`${request.path}?${request.rawQuery}`) && !HOSTING_PLATFORM.test(hostName(request.host)))
      hits.push(hit(RESET_LINK_POISONING, first.header, first.host));
  }
}

/** A password-reset or recovery endpoint (`/lostpassword`, `/password/reset`, `forgot_password`, `action=resetPassword`, `/api/auth/reset`). */
const PASSWORD_RESET =
  /(?:lost|forgot(?:ten)?|reset|recover(?:y)?)[-_/]?pass(?:word|wd)?|pass(?:word|wd)?[-_/]?(?:reset|forgot(?:ten)?|recover(?:y)?|lost)|reset[-_]?pwd|\/(?:auth|accounts?|users?|identity)\/(?:reset|forgot|recover)\b/i;
/**
 * Names hosting platforms and CDNs give an origin (`app.herokuapp.com`, an ELB's, a CloudFront
 * distribution's): a proxy in front of one passes the site's public name in X-Forwarded-Host.
 */
const HOSTING_PLATFORM =
  /\.(?:amazonaws\.com|cloudfront\.net|herokuapp\.com|herokudns\.com|azurewebsites\.net|azureedge\.net|azurefd\.net|cloudapp\.net|cloudapp\.azure\.com|trafficmanager\.net|appspot\.com|run\.app|web\.app|firebaseapp\.com|vercel\.app|netlify\.app|pages\.dev|workers\.dev|fly\.dev|onrender\.com|railway\.app|ondigitalocean\.app|elasticbeanstalk\.com|fastly\.net|edgekey\.net|edgesuite\.net|akamaized\.net|b-cdn\.net)$/i;

/** A path as routing compares it: decoded, lower-cased, without a trailing slash. */
function routedPath(path: string): string {
  let decoded = percentDecode(path).toLowerCase();
  while (decoded.endsWith('/')) decoded = decoded.slice(0, -1);
  return decoded;
}

function pathOverrideHit(request: RequestView): AttackHit | undefined {
  for (const name of PATH_OVERRIDE_HEADERS) {
    const value = request.header.get(name)?.trim();
    if (value === undefined || !value.startsWith('/')) continue;
    const end = value.search(/[?#]/);
    if (routedPath(end < 0 ? value : value.slice(0, end)) !== routedPath(request.rawPath)) return hit(PATH_OVERRIDE, name, value);
  }
  return undefined;
}

/** Rules read from the request line and headers, before any value is inspected. */
export function protocolHits(request: RequestView): AttackHit[] {
  const hits: AttackHit[] = [];
  let lengths = 0;
  let hosts = 0;
  let invalidName: string | undefined;
  let malformedLength: string | undefined;
  for (const h of request.headers) {
    const name = lowerHeaderName(h.name);
    if (name === 'content-length') {
      lengths++;
      if (!PLAIN_LENGTH.test(h.value)) malformedLength ??= h.value;
    } else if (name === 'host') hosts++;
    else if (!isTokenName(name)) {
      if (FRAMING_AND_ROUTING.has(name.replace(NAME_PADDING, '').replace(/_/g, '-'))) hits.push(hit(SMUGGLED_FRAMING_FIELD, h.name, `${h.name}: ${h.value}`));
      else invalidName ??= h.name;
    } else if (name.indexOf('_') >= 0 && FRAMING_AND_ROUTING.has(name.replace(/_/g, '-'))) {
      // CGI and the servers that follow it (HTTP_TRANSFER_ENCODING) read `_` as `-`.
      hits.push(hit(SMUGGLED_FRAMING_FIELD, h.name, `${h.name}: ${h.value}`));
    }
  }
  if (malformedLength !== undefined) hits.push(hit(MALFORMED_LENGTH, 'Content-Length', malformedLength));
  if (invalidName !== undefined) hits.push(hit(INVALID_FIELD_NAME, invalidName, invalidName));
  framingHits(request, lengths, hits);
  if (hosts > 1) hits.push(hit(SEVERAL_HOSTS, 'Host', `${hosts} Host headers`));
  const host = request.header.get('host');
  hostHits(request, host, hits);
  if (AUTHORITY_QUERY.test(request.rawQuery)) hits.push(hit(AUTHORITY_IN_QUERY, ':target', request.target));
  const loopbackClaims = CLIENT_ADDRESS_HEADERS.filter((name) => LOOPBACK_VALUE.test(request.header.get(name) ?? ''));
  if (loopbackClaims.length >= MIN_SPRAYED_HEADERS)
    hits.push(hit(LOOPBACK_CLIENT_SPRAY, loopbackClaims.join(', '), request.header.get(loopbackClaims[0]!) ?? ''));
  if (request.rawPath.indexOf('%') >= 0 || request.rawPath.indexOf(';') >= 0 || request.rawPath.indexOf('.') >= 0) {
    const spelling = EVASIVE_PATH_SPELLINGS.find(([pattern]) => pattern.test(request.rawPath));
    if (spelling !== undefined) hits.push(hit(EVASIVE_PATH, `:path (${spelling[1]})`, request.rawPath));
  }
  const override = pathOverrideHit(request);
  if (override !== undefined) hits.push(override);
  const authority = targetAuthority(request.target);
  if (authority !== undefined && host !== undefined && withoutDefaultPort(host.trim()) !== authority) {
    hits.push(hit(TARGET_HOST_MISMATCH, 'Host', `target ${authority}, Host ${host}`));
    // An absolute target to an internal address asks this server, as a proxy, to fetch from inside.
    if (judgeHost(hostName(authority)).kind === 'internal') hits.push(hit(INTERNAL_ADDRESS, ':target', request.target));
  }
  // So does a tunnel to one (`CONNECT 10.0.0.7:22`).
  if (request.method.toUpperCase() === 'CONNECT' && judgeHost(hostName(request.target.replace(/^\[|\](?=:\d{0,5}$)/g, ''))).kind === 'internal')
    hits.push(hit(INTERNAL_ADDRESS, ':target', request.target));
  // A proxy that routes by Host or by an absolute target fetches from the metadata service.
  if (host !== undefined && isMetadataHost(hostName(host))) hits.push(hit(METADATA_SERVICE, 'Host', host));
  else if (authority !== undefined && isMetadataHost(hostName(authority))) hits.push(hit(METADATA_SERVICE, ':target', request.target));
  // A Host naming a callback service reached this server by its address: a probe of whether the
  // application builds links (a password reset's) from the Host it was sent.
  else if (host !== undefined && mayNameInteractionHost(host) && judgeHost(hostName(host)).kind === 'interaction')
    hits.push(hit(INTERACTION_HOST, 'Host', host));
  // Request-Range is Netscape's older name, which Apache still honours (Apache Killer sent both).
  for (const name of RANGE_HEADERS) {
    const range = request.header.get(name);
    if (range !== undefined && ((range.indexOf(',') >= 0 && abusiveRanges(range)) || OVERFLOWING_RANGE.test(range))) {
      hits.push(hit(RANGE_ABUSE, name === 'range' ? 'Range' : 'Request-Range', range));
      break;
    }
  }
  const connection = request.header.get('connection');
  if (connection !== undefined && dropsEndToEndHeader(connection)) hits.push(hit(HOP_BY_HOP_ABUSE, 'Connection', connection));
  const upgrade = request.header.get('upgrade');
  if (upgrade !== undefined && request.scheme === 'https' && H2C_UPGRADE.test(upgrade)) hits.push(hit(H2C_OVER_TLS, 'Upgrade', upgrade));
  const subrequest = request.header.get('x-middleware-subrequest');
  if (subrequest !== undefined && /middleware/i.test(subrequest)) hits.push(hit(MIDDLEWARE_SUBREQUEST, 'x-middleware-subrequest', subrequest));
  const contentType = request.header.get('content-type');
  if (contentType !== undefined) {
    const lower = contentType.toLowerCase();
    if (lower.indexOf('charset') >= 0 && BYPASS_CHARSETS.test(lower)) hits.push(hit(BYPASS_CHARSET, 'Content-Type', contentType));
    else if (isMultipartType(lower) && request.body.kind === 'multipart' && /charset/i.test(request.body.text)) {
      const part = PART_BYPASS_CHARSET.exec(request.body.text);
      if (part !== null) hits.push(hit(BYPASS_CHARSET, 'Content-Type', part[0].trim()));
    }
    if (isMultipartType(lower) && boundaryParameters(lower).length > 1) hits.push(hit(SEVERAL_BOUNDARIES, 'Content-Type', contentType));
  }
  const trailed = request.trailers.find((field) => END_TO_END_HEADERS.has(lowerHeaderName(field.name).trim()));
  if (trailed !== undefined) hits.push(hit(TRAILED_HEADER_FIELD, `${trailed.name}${TRAILER_SUFFIX}`, trailed.value));
  const charsetField = request.query.find(isCharsetField) ?? request.bodyParams.find(isCharsetField);
  if (charsetField !== undefined && BYPASS_CHARSET_NAME.test(charsetField.value.toLowerCase()))
    hits.push(hit(BYPASS_CHARSET, CHARSET_FIELD, charsetField.value));
  if (opensWith(request.body.lead, EBCDIC_XML_START)) hits.push(hit(BYPASS_CHARSET, 'body', 'XML document in EBCDIC'));
  const method = request.method.toUpperCase();
  if (TRACE_METHODS.has(method) || (method !== '' && !KNOWN_METHODS.has(method))) hits.push(hit(TRACE_METHOD, ':method', request.method));
  else {
    for (const name of METHOD_OVERRIDE_HEADERS) {
      const override = request.header.get(name);
      if (override !== undefined && TRACE_METHODS.has(override.trim().toUpperCase())) {
        hits.push(hit(TRACE_METHOD, name, override));
        break;
      }
    }
    const unsafe = method === 'GET' || method === 'HEAD' ? unsafeOverride(request) : undefined;
    if (unsafe !== undefined) hits.push(hit(UNSAFE_METHOD_OVERRIDE, ':method', `${request.method} with ${unsafe}`));
  }
  if ((method === 'GET' || method === 'HEAD') && request.body.wireLength > 0)
    hits.push(hit(BODY_ON_BODILESS_METHOD, ':method', `${request.method} with a ${request.body.wireLength}-byte body`));
  if ((method === 'GET' || method === 'HEAD') && request.header.has('transfer-encoding'))
    hits.push(hit(BODILESS_CHUNKED, 'Transfer-Encoding', `${request.method} with Transfer-Encoding: ${request.header.get('transfer-encoding')!}`));
  if (request.body.wireLength > 0 && smuggledInBody(request)) hits.push(hit(SMUGGLED_REQUEST, ':body', `${request.body.wireLength}-byte body`));
  if (request.unread.has(UNREAD_BODY_BYTES)) hits.push(hit(BODY_PAST_LIMIT, ':body', `${request.body.wireLength}-byte body`));
  return hits;
}

/**
 * The hit for a request some of which went unread past a limit (`parts`: the request view's
 * and the detector's own, see RequestView.unread and ValueCollector.unread), or none.
 */
export function paddingHit(parts: readonly string[]): AttackHit | undefined {
  // A long body is 960112's; repeated JSON keys are read from the body's text instead.
  const padded = parts.filter((part) => part !== UNREAD_BODY_BYTES && part !== UNREAD_SHADOWED_JSON);
  return padded.length === 0 ? undefined : hit(PADDED_PAST_LIMITS, ':request', `unread past a limit: ${padded.join(', ')}`);
}
