/**
 * Uploads of server-executable file types and of the per-directory configuration files that make
 * a server run other files as code (multipart file names and the headers raw uploads name their
 * file in), and web shells in an upload's contents.
 */
import type { RulePack } from '../types';
import type { InspectedValue } from '../value';
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
    pattern: /(?:^|[\\/])(?:web\.config|\.user\.ini|php\.ini|\.htpasswd)(?:\x00|\s|;|$)/,
  },
];

/** Read in an upload's contents: a JSP or ASP web shell, whatever the file is called. */
export const WEB_SHELL_RULES: readonly RegexRule[] = [
  {
    id: 970103,
    classification: 'MaliciousUpload',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'UploadAnalyzer: uploaded server page that runs commands or code from the request (JSP or ASP web shell)',
    // Inside a server-page block: classic ASP evaluating a request field, a JSP or ASP.NET page
    // starting a process, WScript.Shell, or loading an assembly from bytes.
    pattern:
      /<%[\s\S]{0,400}?(?:\b(?:eval|execute(?:global)?)\s{0,5}\(?\s{0,5}request\b|runtime\s{0,5}\.\s{0,5}getruntime\s{0,5}\(\s{0,5}\)\s{0,5}\.\s{0,5}exec\s{0,5}\(|\bnew\s{1,5}(?:java\.lang\.)?processbuilder\s{0,5}\(|\bprocess\s{0,5}\.\s{0,5}start\s{0,5}\(|wscript\.shell|assembly\s{0,5}\.\s{0,5}load\s{0,5}\()/,
    needs: ['request', 'exec', 'processbuilder', 'start', 'wscript', 'load'],
  },
];

const PREFILTER = /\./;

/** Headers that name an uploaded file when the body is the file itself (raw PUT and XHR uploads). */
const FILE_NAME_HEADERS: ReadonlySet<string> = new Set(['x-filename', 'x_filename', 'x-file-name', 'x-upload-filename']);

function namesFile(v: InspectedValue): boolean {
  return v.location === 'multipart_filename' || (v.location === 'header' && FILE_NAME_HEADERS.has(v.lowerName));
}

export const maliciousUploadPack: RulePack = {
  name: 'upload',
  readsPlainValues: true,
  readsUploads: true,
  classification: 'MaliciousUpload',
  rules: [...UPLOAD_RULES, ...WEB_SHELL_RULES],
  skip: (v) => !namesFile(v) && v.location !== 'upload',
  prefilter: (v) => PREFILTER.test(v.lower) || v.lower.indexOf('<%') >= 0,
  inspect: (v, report) => matchRegexRules(v.location === 'upload' ? WEB_SHELL_RULES : UPLOAD_RULES, v, report),
};
