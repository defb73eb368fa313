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
    risk: 40,
    // An attack tool announcing itself is sure evidence that one is pointed at the application;
    // the project's own scan template service sends its own agent and a signed scan marker.
    severity: 'critical',
    confidence: 'high',
    description: 'ScannerAnalyzer: security scanner user agent or scanner header',
    pattern:
      /\b(?:sqlmap|nikto|nmap|masscan|zgrab|zmap|acunetix|netsparker|nessus|openvas|w3af|wpscan|dirbuster|gobuster|dirb|dirsearch|ffuf|fuzz faster u fool|feroxbuster|wfuzz|nuclei|arachni|skipfish|havij|appscan|qualys|jaeles|zmeu|morfeus|jorgee|commix|xsstrike|xsser|dalfox|interactsh|whatweb|wafw00f|fimap|jbrofuzz|paros|webinspect|sqlninja|sqlsus|bsqlbf|ghauri|nosqlmap|tplmap|sstimap|wapiti|pangolin|burpsuite|owasp zap|zaproxy|h2csmuggler|smuggler\.py|ysoserial|jexboss|log4j-scan)\b/,
  },
];

/**
 * IIS answers a wildcard against a file's 8.3 short name (a path segment `A*~1*`, then `.aspx`)
 * differently when such a name exists: scanners guess hidden files and folders a letter at a time.
 * No link holds `*~1`.
 */
const SHORT_NAME_PROBE: RegexRule = {
  id: 930102,
  classification: 'ScannerDetection',
  state: 'Reconnaissance',
  risk: 40,
  severity: 'critical',
  confidence: 'high',
  description: 'ScannerAnalyzer: IIS short-name (8.3) enumeration probe (a path segment `a*~1*`)',
  pattern: /\*~[1-9]|~[1-9]\*/,
  needs: ['~'],
};

/** Headers scanners add to their requests (`Acunetix-Product`, `Acunetix-Scanning-agreement`, `X-Scanner`). */
const SCANNER_HEADER = /^(?:acunetix-[\w-]{1,40}|x-scanner|x-wvs-id)$/;

const PREFILTER = /[a-z]/;

export const scannerPack: RulePack = {
  name: 'scanner',
  readsPlainValues: true,
  classification: 'ScannerDetection',
  rules: [...SCANNER_RULES, SHORT_NAME_PROBE],
  skip: (v) => v.location !== 'path' && (v.location !== 'header' || (v.lowerName !== 'user-agent' && !SCANNER_HEADER.test(v.lowerName))),
  prefilter: (v) => PREFILTER.test(v.lower) || v.lower.indexOf('~') >= 0,
  inspect: (v, report) => {
    if (v.location === 'path') matchRegexRules([SHORT_NAME_PROBE], v, report);
    else if (v.lowerName === 'user-agent') matchRegexRules(SCANNER_RULES, v, report);
    else report(SCANNER_RULES[0]!);
  },
};
