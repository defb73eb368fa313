/**
 * Path traversal and local file inclusion: parent-directory steps in every spelling (see
 * decode/path-form and detection/path), absolute and relative paths of sensitive OS and
 * application files, local stream wrappers, and NUL truncation of an appended suffix.
 */
import { namesSensitiveFile, pathShape } from '../path';
import { lastNameSegment } from './name-locations';
import type { Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { classRule } from './class-rule';

const rule = classRule('PathTraversal');
type PathRule = ReturnType<typeof rule>;

export const TRAVERSAL_SEQUENCE = rule(300101, 'PathAnalyzer: directory traversal sequence', 'critical', 'high', 80);
export const SENSITIVE_FILE = rule(300102, 'PathAnalyzer: sensitive system or application file', 'critical', 'high', 85);
export const LOCAL_WRAPPER = rule(300103, 'PathAnalyzer: local file inclusion wrapper', 'critical', 'high', 70);
export const NUL_TRUNCATION = rule(300104, 'PathAnalyzer: NUL byte truncation of a file name', 'critical', 'high', 60);
export const OVERLONG_SEPARATOR = rule(300105, 'PathAnalyzer: overlong UTF-8 or look-alike dot/slash', 'critical', 'high', 80);
export const PARENT_TO_SENSITIVE_FILE = rule(300106, 'PathAnalyzer: parent-directory step to a sensitive file', 'critical', 'high', 85);
export const LEADING_PARENT_STEP = rule(300107, 'PathAnalyzer: parameter value starts with a parent-directory step', 'error', 'medium', 50);

export const ROUTING_SEGMENT = rule(
  300108,
  'PathAnalyzer: URL path with a current-directory or bare path-parameter segment (`/%2e/`, `/;/`): a front end and the application route it differently',
  'error',
  'medium',
  50,
);

export const NTFS_STREAM = rule(
  300109,
  'PathAnalyzer: NTFS stream name in the URL path or after a file name (`::$DATA` serves a script as source, `::$INDEX_ALLOCATION` passes a folder check on IIS)',
  'critical',
  'high',
  75,
);

export const PATH_TRAVERSAL_RULES: readonly PathRule[] = [
  TRAVERSAL_SEQUENCE,
  SENSITIVE_FILE,
  LOCAL_WRAPPER,
  NUL_TRUNCATION,
  OVERLONG_SEPARATOR,
  PARENT_TO_SENSITIVE_FILE,
  LEADING_PARENT_STEP,
  ROUTING_SEGMENT,
  NTFS_STREAM,
];

/** A stream of a file or folder named in a path: no link spells one. */
const NTFS_STREAM_NAME = /::\$(?:data|index_allocation|bitmap)\b|:\$i30\b/;
/** The same after a file name in a parameter (`file=web.config::$DATA`): a download handler's extension check passes it. */
const FILE_STREAM_NAME = /[\w-]\.[a-z0-9]{1,8}::\$(?:data|index_allocation)\b/;

/**
 * A `.` segment (`/./`, `/%2e/`, `/.;x/`) or a segment of path parameters alone (`/;/`, `/;x=y/`)
 * inside a URL path as sent (a decoded `%2F` in a tracker's `;u1=%2F;` parameters is no segment). Browsers and HTTP clients resolve dot segments before sending, and no link
 * holds a nameless segment: a proxy that matches `/actuator` on the raw path misses
 * `/;/%2e/actuator`, which Tomcat and Spring route there.
 */
const ROUTING_SEGMENT_PATTERN = /\/(?:\.|%2e)(?:;[^/]{0,64})?\/|\/;(?:[\w.-]{1,40}(?:=[\w.%-]{0,40})?)?(?:;[\w.-]{1,40}(?:=[\w.%-]{0,40})?){0,4}\//i;

/** Files whose path is unmistakable wherever it appears in a value (path form). */
export const UNMISTAKABLE_FILE =
  /(?:^|[/=\s])etc\/(?:passwd|shadow|master\.passwd|sudoers|group|hosts|issue|hostname|motd|crontab|fstab|profile|environment)\b|(?:^|\/)proc\/(?:self|\d{1,7})\/(?:environ|cmdline|maps|fd|status|cwd|root|mem|mounts)\b|\/proc\/version\b|\/var\/run\/secrets\/|\bboot\.ini\b|\bwin\.ini\b|\bweb-inf\/web\.xml\b|\.ssh\/(?:id_[a-z0-9]{2,10}|authorized_keys)\b|\.aws\/credentials\b|\b[a-z]:\/(?:windows|winnt|inetpub)\b|\/windows\/(?:win\.ini|system32)\b/;

/** The Origin or Referer of a page loaded from a file: the scheme alone, or with a local path. */
const FILE_ORIGIN = /^\s{0,3}file:\/\/(?:\/[^?#]{0,300})?\s{0,3}$/;

/** Three dots or more and nothing else: an ellipsis (`…` folds to `...`), not a step anywhere. */
const ELLIPSIS = /^\s{0,3}\.{3,}\s{0,3}$/;

/** PHP and Java stream wrappers that read local files or archives. */
export const LOCAL_WRAPPER_PATTERN =
  /(?:^|[\s"'=(])(?:php|zip|phar|glob|compress\.zlib|compress\.bzip2|file|netdoc|jar):\/\/|\bphp:\/\/(?:filter|fd|memory|temp)\b/;

/** What overlong UTF-8 and look-alike dots and slashes leave when a decoder half-reads them (lower case). */
export const OVERLONG_REMNANT = /(?:[\xc0\xe0][\xae\xaf]|\xe0\x80\xae|\uff0e){2}|\.\.(?:[\xc0\xe0]\xaf|[\xc1\xe1][\x9c\x81]|[\u2215\u2216\uff0f\uff3c])/;

/**
 * A URL path segment glued to a parent step (`/static../settings.py`): where a server maps `/static`
 * to a directory without a trailing slash (nginx's alias off by a slash), it climbs out of it.
 */
const ALIAS_STEP = /\/[^/.][^/]{0,100}[^/.]\.\.\/|\/[^/.]\.\.\//;

/** A URL with a scheme other than file: its path segments are the remote server's, not a file path. */
const REMOTE_URL = /^\s{0,8}[a-z][a-z0-9+.-]{1,15}:\/\//;
/** A file name (with a directory or an extension) right before a NUL. */
const NAME_BEFORE_NUL = /(?:[/\\][\w.~ -]{1,100}|[\w~-]\.[a-z0-9]{1,6})$/;
const MAX_NUL_VALUE = 2048;

const PREFILTER = /[/\\\x00\u2025\u2026\uff0e]|\.\.|0x[25]|%|^\s{0,8}[a-z]:|[\xc0\xe0][\xae\xaf]|::\$/;

/** NUL after a file name in an otherwise printable value: the suffix an application appends is cut. */
function nulTruncates(lower: string): boolean {
  const nul = lower.indexOf('\x00');
  if (nul <= 0 || lower.length > MAX_NUL_VALUE) return false;
  let printable = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0) printable++;
  }
  return printable >= lower.length * 0.95 && NAME_BEFORE_NUL.test(lower.slice(Math.max(0, nul - 120), nul));
}

/** Parameters a search box fills (Google's `q` and `oq`, Bing's `q`, Amazon's `k`, Yandex's `text`, WordPress's `s`). */
const SEARCH_PARAMETER = /^(?:q|oq|query|search|search_?query|s|k|keywords?|term|text|wd)$/;
const PLAIN_WORD = /(?:^|\s)[a-z0-9]{1,30}(?=\s|$)/g;
/** What a path handed to a file call or a shell would need around it, and no question has. */
const CODE_PUNCTUATION = /[;|&`$<>'"(){}\x00]/;

/**
 * A search about a file (`what is /etc/hosts file used for`, `windows 11 where is
 * C:\Windows\System32\drivers\etc\hosts`): a search box's text with two plain words besides the
 * path and nothing of code. Opened as a path, such a value names no file; the path alone
 * (`q=/etc/passwd`) or after a command word (`q=cat /etc/passwd`) still counts.
 */
function searchesAboutFile(v: InspectedValue): boolean {
  if (!SEARCH_PARAMETER.test(lastNameSegment(v.lowerName)) || CODE_PUNCTUATION.test(v.lower)) return false;
  let words = 0;
  PLAIN_WORD.lastIndex = 0;
  while (words < 2 && PLAIN_WORD.exec(v.lower) !== null) words++;
  return words >= 2;
}

function inspect(v: InspectedValue, report: (rule: Rule) => void): void {
  const form = v.path;
  const inUrlPath = v.location === 'path';
  const shape = pathShape(form, inUrlPath);
  const aboutFile = !inUrlPath && shape.parentSteps === 0 && searchesAboutFile(v);
  // Browsers and HTTP clients resolve dot segments before sending: one left in a URL path was put there.
  if (shape.parentSteps >= 2 || (inUrlPath && shape.parentSteps >= 1) || (inUrlPath && ALIAS_STEP.test(form))) report(TRAVERSAL_SEQUENCE);
  else if (shape.startsWithParent && !ELLIPSIS.test(form)) report(LEADING_PARENT_STEP);
  if (inUrlPath && ROUTING_SEGMENT_PATTERN.test(v.raw)) report(ROUTING_SEGMENT);
  if (v.lower.indexOf(':$') >= 0 && (inUrlPath ? NTFS_STREAM_NAME : FILE_STREAM_NAME).test(v.lower)) report(NTFS_STREAM);
  const remote = REMOTE_URL.test(form) && !form.trimStart().startsWith('file:');
  for (const anchor of shape.anchors) {
    if (remote && anchor.relative) continue;
    if (aboutFile && anchor.from !== 'parent') continue;
    if (namesSensitiveFile(anchor, inUrlPath ? 'url-path' : 'value')) report(anchor.from === 'parent' ? PARENT_TO_SENSITIVE_FILE : SENSITIVE_FILE);
  }
  if (!aboutFile && UNMISTAKABLE_FILE.test(form)) report(SENSITIVE_FILE);
  const lower = v.lower;
  // A page loaded from a file (a Cordova, Tizen or Electron app) sends `Origin: file://`.
  if (lower.indexOf('://') >= 0 && LOCAL_WRAPPER_PATTERN.test(lower) && !(v.location === 'header' && FILE_ORIGIN.test(lower))) report(LOCAL_WRAPPER);
  if (lower.indexOf('\x00') >= 0 && nulTruncates(lower)) report(NUL_TRUNCATION);
  if (OVERLONG_REMNANT.test(lower)) report(OVERLONG_SEPARATOR);
}

export const pathTraversalPack: RulePack = {
  name: 'path-traversal',
  classification: 'PathTraversal',
  rules: PATH_TRAVERSAL_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect,
};
