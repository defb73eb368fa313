/**
 * Security scanners announcing themselves in the User-Agent.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

export const SCANNER_RULES: readonly RegexRule[] = [
  {
    id: 930101,
    classification: 'ScannerDetection',
    state: 'Reconnaissance',
    risk: 30,
    severity: 'warning',
    confidence: 'high',
    description: 'ScannerAnalyzer: security scanner user agent',
    pattern:
      /\b(?:sqlmap|nikto|nmap|masscan|zgrab|acunetix|netsparker|nessus|openvas|w3af|wpscan|dirbuster|gobuster|dirb|ffuf|feroxbuster|wfuzz|nuclei|arachni|skipfish|havij|appscan|qualys|jaeles|zmeu|morfeus|commix|xsstrike|dalfox|interactsh|whatweb|wafw00f|fimap|jbrofuzz|paros|webinspect|sqlninja|bsqlbf|pangolin|burpsuite|owasp zap|zaproxy)\b/,
  },
];

const PREFILTER = /[a-z]/;

export const scannerPack: RulePack = {
  name: 'scanner',
  readsPlainValues: true,
  classification: 'ScannerDetection',
  rules: SCANNER_RULES,
  skip: (v) => v.location !== 'header' || v.lowerName !== 'user-agent',
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(SCANNER_RULES, v, report),
};
