/**
 * Remote file inclusion: a URL (http, ftp, SMB/UNC, data:, PHP input/expect wrappers) given where
 * the application expects a file or a path, so that it loads and runs remote code.
 *
 * URL-valued parameters are everyday traffic (redirect targets, share links, image URLs, page URLs
 * in analytics beacons), so a URL alone is never enough. What sets an inclusion apart:
 * - the URL cuts off the suffix the application appends (`shell.txt?`, `shell.txt%00`, `...??`);
 * - it names a script or plain-text payload file (`.txt`, `.inc`, `.phtml`, `.sh`) rather than a page;
 * - it is the value of a parameter named like an include path (`*_path`, `root`, `dir`, `include`,
 *   `template`, `lang`), directly or inside an exploit URL (`/x.php?mosConfig_absolute_path=http://...`);
 * - or it is a form only inclusion uses: `data://` with code, `php://input`, `expect://`, a UNC share.
 * Strong forms alert alone; the others add up.
 */
import { judgeHost, splitUrls, type UrlParts } from '../address';
import type { Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { classRule } from './class-rule';
import { URL_HEADERS } from './url-headers';

const rule = classRule('RemoteFileInclusion');
type RfiRule = ReturnType<typeof rule>;

export const TRUNCATED_REMOTE_FILE = rule(310101, 'RfiAnalyzer: remote file URL that cuts off an appended suffix (?, #, NUL)', 'critical', 'high', 85);
export const REMOTE_SCRIPT_FILE = rule(310102, 'RfiAnalyzer: parameter value is a URL of a script or plain-text payload file', 'error', 'high', 60);
export const CODE_WRAPPER = rule(310103, 'RfiAnalyzer: data:, php://input or expect:// wrapper carrying code', 'critical', 'high', 85);
export const UNC_SHARE = rule(310104, 'RfiAnalyzer: UNC or SMB path to a remote share', 'critical', 'high', 75);
export const INCLUDE_PARAMETER_URL = rule(
  310105,
  "RfiAnalyzer: exploit URL setting a script's include-path parameter to a remote URL",
  'critical',
  'medium',
  65,
);
/** Telemetry names URL fields `sourceFile` and `pagePath`: alone this is no evidence, only with another sign. */
export const INCLUDE_NAMED_VALUE = rule(310107, 'RfiAnalyzer: remote URL in a parameter named like an include path', 'notice', 'medium', 30);
/**
 * Exploit scripts fetch their second stage from the attacker's own server, named by address: no
 * site serves an archive, a schema or a script from a bare public IP for a parameter to load.
 * Alone it is no alert at level 1 (an intranet tool may link one); with another sign it is.
 */
export const REMOTE_FILE_ON_ADDRESS = rule(
  310108,
  'RfiAnalyzer: URL of a payload file (archive, schema, script, vector image) on a bare public IPv4 address',
  'critical',
  'medium',
  75,
);
/**
 * A parameter named like an include path (310107) loading from a bare public IPv4 address
 * (`template=//203.0.113.66/t`, `lang=http://198.51.100.4/x`): what include exploits point at,
 * whatever the file's name; a site's own templates and themes come from its own hosts.
 */
export const INCLUDE_ON_ADDRESS = rule(
  310111,
  'RfiAnalyzer: parameter named like an include path loading from a bare public IPv4 address',
  'critical',
  'medium',
  80,
);
/**
 * `hTtP://`: a filter that blocks `http://` by a case-sensitive match lets it through, and the URL
 * still loads. Clients write schemes in lower case, upper case or capitalised (a phone's first
 * letter); letters that alternate are typed on purpose.
 */
export const MIXED_CASE_SCHEME = rule(310109, 'RfiAnalyzer: remote URL whose scheme alternates upper and lower case (a filter evasion)', 'error', 'high', 60);
/**
 * A paste site's raw text (`https://pastebin.com/raw/Xk3vQ9aP`) as a parameter's whole value: what
 * an include or a fetch loads and runs when the attacker has no server of their own. A page links
 * to a paste's page, not to its raw text, and code hosts' raw files (GitHub's) are not counted.
 */
export const RAW_PASTE_URL = rule(
  310110,
  "RfiAnalyzer: parameter value is a paste site's raw text URL (a payload hosted without a server)",
  'critical',
  'high',
  70,
);
export const TRUNCATED_REMOTE_PAGE = rule(310106, 'RfiAnalyzer: remote page or image URL followed by an empty query or fragment', 'notice', 'medium', 40);

export const RFI_RULES: readonly RfiRule[] = [
  TRUNCATED_REMOTE_FILE,
  REMOTE_SCRIPT_FILE,
  CODE_WRAPPER,
  UNC_SHARE,
  INCLUDE_PARAMETER_URL,
  TRUNCATED_REMOTE_PAGE,
  INCLUDE_NAMED_VALUE,
  REMOTE_FILE_ON_ADDRESS,
  INCLUDE_ON_ADDRESS,
  MIXED_CASE_SCHEME,
  RAW_PASTE_URL,
];

/** Schemes an include function (PHP allow_url_include, JSP c:import, SSI) fetches remote code over. */
const REMOTE_SCHEME: ReadonlySet<string> = new Set(['http', 'https', 'ftp', 'ftps', 'smb', 'webdav', 'webdavs', 'sftp']);
/** Pages and images: an inclusion target too (code hidden in a GIF), but everyday URLs as well. */
export const PAGE_EXTENSION = /\.(?:php|cgi|jspx?|aspx?|gif|jpe?g|png|xml|js|html?)$/;
/** Payload files: plain text, script sources and server-side templates (Velocity, FreeMarker) no site serves as a page. */
export const SCRIPT_SOURCE_EXTENSION = /\.(?:txt|inc|phtml|pht|phar|php[3-8]|phps|sh|pl|py|rb|war|vm|ftl)$/;
/** Files a second stage travels as: archives, schemas and stylesheets, scripts and binaries, SVG (ImageMagick's MSL). */
const PAYLOAD_FILE_EXTENSION =
  /\.(?:war|ear|jar|zip|xml|xslt?|dtd|svg|csv|sh|py|pl|rb|lua|ps1|bat|cmd|hta|vbs|exe|dll|msi|elf|bin|so|class|ser|jspx?|aspx?|phtml|php\d?|txt)$/;
/** An authority that is a dotted IPv4 address, after any user information and before any port. */
const DOTTED_IPV4_AUTHORITY = /^(?:[^@/]{0,128}@)?(\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?$/;
/** What follows a file URL to cut the application's suffix: an empty query (`?`, `??`), a NUL, an empty fragment. */
export const SUFFIX_CUT = /^(?:\?{2}|\?(?:$|[&#/=;'"\s\x00])|\x00|#$)/;

/**
 * Parameter names that hold an include path in vulnerable code: `*_path`, `*root*`, `*dir*`,
 * `include`, `inc`, `lib`, `class`, `template`, `lang` and the like (case-folded, any prefix).
 * Not `page`: beacons send the page's URL under that name.
 */
export const INCLUDE_PARAMETER_NAME =
  /(?:path|root|(?<!re)dir|directory|folder|include|inc|require|lib|library|class|classfile|conf|config|cfg|module|mod|template|tpl|theme|skin|lang|language|prefix|plugin|layout|file)\]?$/;
/**
 * A browser's Content-Security-Policy violation report (`{"csp-report": {…}}`): its `source-file`
 * is the script the violation happened in, reported, never included.
 */
const CSP_REPORT_MEMBER = 'csp-report.';
/** A script's query string starts right before: the value is an exploit URL for that script. */
const SCRIPT_QUERY = /\.(?:php[3-8]?|phtml|inc|cgi|pl|asp|aspx|jsp|jspx|cfm|do|action)$/;

/** An include-named parameter inside a value, set to a remote URL (`/x.php?mosConfig_absolute_path=http://`). */
const NESTED_INCLUDE = /[?&;]([\w[\]'"-]{1,64})=\s{0,4}(?:https?|ftps?):\/\//g;

/** data: with code or a text payload, PHP's input and expect wrappers. */
export const CODE_WRAPPER_PATTERN =
  /(?:^|[\s=("'])(?:data:\/{0,2}(?:text\/(?:plain|html|x-php|php)|application\/(?:x-httpd-php|x-php|octet-stream))[;,]|data:\/\/|php:\/\/input\b|expect:\/\/)|data:[^,]{0,80},\s{0,4}<\?/;

/**
 * A UNC path's start up to its host's end, the host captured (`\\\\fs01.corp.internal\\`), with
 * Windows' WebDAV redirector suffixes (`\\\\host@SSL@8443\\DavWWWRoot\\`: the share over HTTPS).
 */
const UNC_START = String.raw`^\s{0,4}(?:\\\\|\/\\|\\\/)([a-z0-9_.$-]{1,253})(?:@ssl)?(?:@\d{1,5})?[\\/]`;
const UNC_HOST = new RegExp(UNC_START);

/** A UNC path (`\\host\share\file`, also as `//host/share` written with backslashes) at the start of a value, or file:// to a host. */
export const UNC_PATTERN = new RegExp(
  String.raw`${UNC_START}[^\\/\s]{1,80}|^\s{0,4}file:\/\/(?!localhost\/|\/)[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\/|^\s{0,4}smb:\/\/`,
);

const PREFILTER = /:\/\/|^\s{0,4}(?:\\\\|\/\\|\\\/|\/\/[a-z0-9])|data:/;

/** The machine itself: a share on it reads its own disks (`\\\\localhost\\c$\\windows\\win.ini`). */
const LOOPBACK_NAME = /^(?:localhost|127\.|0\.0\.0\.0$|0x7f|2130706433$)/;

/**
 * A UNC path to a share on an internal name (`\\\\fs01.acme.internal\\finance`): what intranet
 * settings and file browsers hold. An inclusion or hash-leak target is the attacker's own host.
 */
export function namesInternalShare(text: string): boolean {
  const host = UNC_HOST.exec(text)?.[1];
  if (host === undefined || LOOPBACK_NAME.test(host) || SHARED_SCRIPT.test(text)) return false;
  return judgeHost(host).kind === 'internal' || (text.trimStart().startsWith('\\\\') && NETBIOS_NAME.test(host));
}

/**
 * A server script on a share (`\\\\10.10.14.7\\share\\shell.php`): what an include loads over SMB. Intranet
 * settings point at folders, documents and installers, not at pages to run.
 */
const SHARED_SCRIPT = /\.(?:php\d?|phtml|inc|asp|aspx|jsp|jspx)\s{0,3}$/;

/** A name of one label (`\\\\fs01\\`): only the local network resolves it, a file server's NetBIOS name. */
const NETBIOS_NAME = /^[a-z][a-z0-9_-]{0,14}$/;

/** The URL's scheme, ignoring text glued before it (`pathhttp://` from a list that lost its `=`). */
const REMOTE_SCHEME_SUFFIX = /(?:https?|ftps?|smb|webdavs?|sftp)$/;

function isRemote(url: UrlParts): boolean {
  return url.authority.length > 0 && (REMOTE_SCHEME.has(url.scheme) || REMOTE_SCHEME_SUFFIX.test(url.scheme));
}

function onPublicAddress(url: UrlParts): boolean {
  const address = DOTTED_IPV4_AUTHORITY.exec(url.authority)?.[1];
  return address !== undefined && judgeHost(address).kind === undefined;
}

/** A value that opens as a network-path reference: two slashes, then a host. */
const NETWORK_PATH = /^\s{0,4}\/\/[a-z0-9]/;

/** Paste sites' raw-text addresses: host and path start. */
const RAW_PASTE =
  /^(?:www\.)?(?:pastebin\.com\/raw\/|paste\.ee\/r\/|hastebin\.com\/raw\/|rentry\.co\/[\w-]{1,64}\/raw|ghostbin\.\w{2,4}\/paste\/\w{1,32}\/raw|dpaste\.(?:com|org)\/[\w-]{1,32}\.txt|termbin\.com\/|ix\.io\/|sprunge\.us\/)/;

/** A remote scheme at the value's start, as written (before case folding). */
const SCHEME_AS_WRITTEN = /^\s{0,4}([a-z]{3,7}):\/\//i;

function alternatesCase(scheme: string): boolean {
  const rest = scheme.slice(1);
  return rest !== rest.toLowerCase() && rest !== rest.toUpperCase();
}

/** An XML namespace declaration (`xmlns:efile="http://www.irs.gov/efile"`): a name for the namespace, never fetched. */
const XML_NAMESPACE_DECLARATION = /@xmlns(?::[\w.-]{1,64})?$/;

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function inspect(v: InspectedValue, report: (rule: Rule) => void): void {
  const text = v.lower;
  // Referer and Origin carry page URLs: only an inclusion nested inside them counts.
  const urlHeader = v.location === 'header' && URL_HEADERS.has(v.lowerName);
  if (CODE_WRAPPER_PATTERN.test(text)) report(CODE_WRAPPER);
  // The raw value too: decoding reads `\\45.9.…` (a share on an address starting 4 or 5) as a backslash and an octal escape.
  if (!urlHeader && (UNC_PATTERN.test(text) || (v.raw.charCodeAt(0) === 92 && UNC_PATTERN.test(v.raw.toLowerCase()))) && !namesInternalShare(text))
    report(UNC_SHARE);
  // A network-path reference (`//45.77.12.9/t/header.php`) is a UNC path to PHP on Windows (an SMB
  // include, which allow_url_include does not stop) and a URL to whatever resolves it against a scheme.
  const urlText = !urlHeader && NETWORK_PATH.test(text) ? `http:${text.trimStart()}` : text;
  if (urlText.indexOf('://') < 0) return;
  const urls = splitUrls(urlText);
  // The value's own parameter, or a parameter of an exploit URL inside it, names an include path.
  const first = urls[0];
  const remoteAtStart = !urlHeader && first !== undefined && first.at === 0 && isRemote(first);
  const includeNamed =
    remoteAtStart &&
    INCLUDE_PARAMETER_NAME.test(v.lowerName.replace(/ \(base64\)$/, '')) &&
    !v.lowerName.startsWith(CSP_REPORT_MEMBER) &&
    !XML_NAMESPACE_DECLARATION.test(v.lowerName);
  for (const url of urls) {
    if (!isRemote(url) || (urlHeader && url.at === 0)) continue;
    const file = lastSegment(url.path);
    if (SUFFIX_CUT.test(url.rest)) {
      // Where the parameter names an include path, the cut suffix is the extension the script appends, whatever the file.
      if (SCRIPT_SOURCE_EXTENSION.test(file) || url.rest.startsWith('??') || url.rest.startsWith('\x00') || (includeNamed && url === first))
        report(TRUNCATED_REMOTE_FILE);
      else if (PAGE_EXTENSION.test(file)) report(TRUNCATED_REMOTE_PAGE);
    }
    if (SCRIPT_SOURCE_EXTENSION.test(file) && (url.at === 0 || (urlText[url.at - 1] === '=' && v.location !== 'body'))) report(REMOTE_SCRIPT_FILE);
    if (url.at === 0 && PAYLOAD_FILE_EXTENSION.test(file) && onPublicAddress(url)) report(REMOTE_FILE_ON_ADDRESS);
  }
  if (remoteAtStart) {
    if (includeNamed) {
      report(INCLUDE_NAMED_VALUE);
      if (onPublicAddress(first)) report(INCLUDE_ON_ADDRESS);
    }
    if (!/\s/.test(text.trim()) && RAW_PASTE.test(first.authority + first.path)) report(RAW_PASTE_URL);
    const scheme = SCHEME_AS_WRITTEN.exec(v.decoded)?.[1];
    if (scheme !== undefined && alternatesCase(scheme)) report(MIXED_CASE_SCHEME);
  }
  NESTED_INCLUDE.lastIndex = 0;
  for (let m = NESTED_INCLUDE.exec(text), n = 0; m !== null && n < 8; m = NESTED_INCLUDE.exec(text), n++) {
    const query = text.lastIndexOf('?', m.index);
    if (query > 0 && SCRIPT_QUERY.test(text.slice(Math.max(0, query - 8), query)) && INCLUDE_PARAMETER_NAME.test(m[1].replace(/['"\]]/g, ''))) {
      report(INCLUDE_PARAMETER_URL);
      break;
    }
  }
}

export const rfiPack: RulePack = {
  name: 'rfi',
  classification: 'RemoteFileInclusion',
  rules: RFI_RULES,
  prefilter: (v) => PREFILTER.test(v.lower) || v.raw.charCodeAt(0) === 92,
  inspect,
};
