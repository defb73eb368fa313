/**
 * Uploads of server-executable file types (multipart file names).
 */
import type { RulePack } from '../types';
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
];

const PREFILTER = /\./;

export const maliciousUploadPack: RulePack = {
  name: 'upload',
  readsPlainValues: true,
  classification: 'MaliciousUpload',
  rules: UPLOAD_RULES,
  skip: (v) => v.location !== 'multipart_filename',
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(UPLOAD_RULES, v, report),
};
