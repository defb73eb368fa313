/**
 * Uploads of server-executable file types and of the per-directory configuration files that make
 * a server run other files as code (multipart file names), and web shells in an upload's contents.
 */
import type { RequestView } from '../../message-view';
import { GIF_SCRIPT_START } from '../../../../multipart';
import { percentDecode } from '../decode';
import { ruleScore } from '../scoring';
import type { AttackHit, Rule, RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

export const UPLOAD_RULES: readonly RegexRule[] = [
  {
    id: 970101,
    classification: 'MaliciousUpload',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'UploadAnalyzer: server-executable file type uploaded',
    pattern: /\.(?:php\d?|phtml|phar|pht|jspx?|jspf|aspx?|asa|cer|ashx|asmx|cshtml|shtml|stm|cgi|pl|war|htaccess)(?:\.|\x00|\s|;|$)/,
  },
  {
    id: 970102,
    classification: 'MaliciousUpload',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'UploadAnalyzer: server configuration file uploaded (web.config, .user.ini, php.ini, .htpasswd)',
    // IIS runs a web.config's handlers, PHP-FPM reads a directory's .user.ini (auto_prepend_file).
    // Windows drops trailing dots and reads `::$DATA` as the file's main stream.
    pattern: /(?:^|[\\/])(?:web\.config|\.user\.ini|php\.ini|\.htpasswd)(?:\.{1,5}|::\$data)?(?:\x00|\s|;|$)/,
  },
];

/** Read in an upload's contents: a JSP or ASP web shell, whatever the file is called. */
export const WEB_SHELL_RULE: Rule = {
  id: 970103,
  classification: 'MaliciousUpload',
  state: 'Exploitation',
  risk: 90,
  severity: 'critical',
  confidence: 'high',
  description: 'UploadAnalyzer: uploaded server page that runs commands or code from the request (JSP or ASP web shell)',
};

/**
 * What a web shell's server-page block does: classic ASP evaluating a request field, a JSP or
 * ASP.NET page starting a process, WScript.Shell, or loading an assembly from bytes.
 */
const WEB_SHELL_CALL =
  /\b(?:eval|execute(?:global)?)\s{0,5}\(?\s{0,5}request\b|runtime\s{0,5}\.\s{0,5}getruntime\s{0,5}\(\s{0,5}\)\s{0,5}\.\s{0,5}exec\s{0,5}\(|\bnew\s{1,5}(?:java\.lang\.)?processbuilder\s{0,5}\(|\bprocess\s{0,5}\.\s{0,5}start\s{0,5}\(|wscript\.shell|assembly\s{0,5}\.\s{0,5}load\s{0,5}\(/g;
/** How far into a `<%` block the call may sit. */
const MAX_CALL_OFFSET = 400;
/** Calls looked at: a file full of them is a shell at the first. */
const MAX_CALLS = 16;

/** A web-shell call inside a `<%` block: each call found once, then the nearest `<%` before it (linear in the text). */
function holdsWebShell(text: string): boolean {
  WEB_SHELL_CALL.lastIndex = 0;
  for (let m = WEB_SHELL_CALL.exec(text), n = 0; m !== null && n < MAX_CALLS; m = WEB_SHELL_CALL.exec(text), n++) {
    const open = text.lastIndexOf('<%', m.index);
    if (open >= 0 && m.index - open <= MAX_CALL_OFFSET) return true;
  }
  return false;
}

/**
 * An upload that turns an image converter into a command runner or file reader (ImageTragick,
 * CVE-2016-3714; Ghostscript's %pipe%, CVE-2018-16509 and later): a URL in MVG or SVG whose quote
 * closes early and pipes into a shell (`url(https://x/a.jpg"|ls "-la)`), the coders that delete,
 * run or read files (`ephemeral:`, `msl:`, `text:/etc/...`, `label:@file`), PostScript's output to a pipe;
 * and a DjVu annotation whose metadata string ends in a backslash and a line break, then continues
 * as Perl (`"\⏎" . qx{…} . "`): ExifTool evaluates it while reading the metadata (CVE-2021-22204,
 * GitLab's CVE-2021-22205), whatever the file is called.
 */
const IMAGE_CONVERTER_RULE: Rule = {
  id: 970105,
  classification: 'MaliciousUpload',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description:
    'UploadAnalyzer: image-converter exploit in an upload (ImageMagick MVG/SVG delegate pipe or file coder, Ghostscript %pipe%, ExifTool DjVu metadata eval)',
};
const IMAGE_CONVERTER_EXPLOIT =
  /url\([^)|\n]{0,300}(?:"|&quot;|&#34;)\s{0,3}\||href\s{0,3}=\s{0,3}(?:"[^"|\n]{0,300}"|'[^'|\n]{0,300}'|["'][^"'|\n]{0,300}(?:&quot;|&#34;))\s{0,3}\||(?:^|[\s'"(])(?:ephemeral|msl):[\\/]|(?:^|[\s'"(])text:\/(?:etc|proc|var|home|root)\/|label:@|%pipe%|\(metadata\b[\s\S]{0,300}?"\\\r?\n"\s{0,5}\./;

/** An image that is also a script (see GIF_SCRIPT_START). */
const IMAGE_SCRIPT_POLYGLOT_RULE: Rule = {
  id: 970106,
  classification: 'MaliciousUpload',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description: 'UploadAnalyzer: image that is also JavaScript (a GIF header then a script statement), served as a same-origin script',
};

/**
 * A file written by HTTP itself: WebDAV's or a REST store's PUT, and a MOVE or COPY whose
 * Destination renames a file (the upload-as-`.txt`-then-rename trick). A server-executable or
 * configuration name there is a web shell or handler being planted, as in a multipart upload.
 */
const FILE_WRITE_RULE: Rule = {
  id: 970104,
  classification: 'MaliciousUpload',
  state: 'Exploitation',
  risk: 80,
  severity: 'critical',
  confidence: 'high',
  description: 'UploadAnalyzer: PUT, MOVE or COPY writing a server-executable or configuration file (WebDAV: `.txt` renamed to `.asp;.txt`)',
};
const WRITE_METHODS: ReadonlySet<string> = new Set(['PUT', 'MOVE', 'COPY']);
/** A folder named like a script (`/uploads/x.asp/logo.jpg`): IIS 6 runs every file in it as ASP. */
const SCRIPT_FOLDER = /\.(?:asp|asa|cer|cdx)\/[^/]/;

/** The path a PUT writes to, or a MOVE or COPY's Destination (an absolute URL or a path). */
function writtenPath(request: RequestView): string | undefined {
  const method = request.method.toUpperCase();
  if (!WRITE_METHODS.has(method)) return undefined;
  if (method === 'PUT') return request.path;
  const destination = request.header.get('destination');
  if (destination === undefined) return undefined;
  return percentDecode(destination.trim().replace(/^[a-z][a-z0-9+.-]{0,15}:\/\/[^/]{0,255}/i, '')).split(/[?#]/, 1)[0];
}

export function fileWriteHits(request: RequestView): AttackHit[] {
  const path = writtenPath(request);
  if (path === undefined) return [];
  const lower = path.toLowerCase();
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  if (!UPLOAD_RULES.some((rule) => rule.pattern.test(name)) && !SCRIPT_FOLDER.test(lower)) return [];
  return [{ rule: FILE_WRITE_RULE, location: 'path', parameter: '', value: path, score: ruleScore(FILE_WRITE_RULE) }];
}

const PREFILTER = /\./;

export const maliciousUploadPack: RulePack = {
  name: 'upload',
  readsPlainValues: true,
  readsUploads: true,
  classification: 'MaliciousUpload',
  rules: [...UPLOAD_RULES, WEB_SHELL_RULE, IMAGE_CONVERTER_RULE, IMAGE_SCRIPT_POLYGLOT_RULE, FILE_WRITE_RULE],
  skip: (v) => v.location !== 'multipart_filename' && v.location !== 'upload',
  prefilter: (v) => PREFILTER.test(v.lower) || v.lower.indexOf('<%') >= 0 || v.lower.indexOf('%pipe%') >= 0 || v.lower.indexOf(':') >= 0,
  inspect: (v, report) => {
    if (v.location !== 'upload') matchRegexRules(UPLOAD_RULES, v, report);
    else {
      if (holdsWebShell(v.lower)) report(WEB_SHELL_RULE);
      if (IMAGE_CONVERTER_EXPLOIT.test(v.lower)) report(IMAGE_CONVERTER_RULE);
      if (GIF_SCRIPT_START.test(v.raw)) report(IMAGE_SCRIPT_POLYGLOT_RULE);
    }
  },
};
