/**
 * Shellshock (CVE-2014-6271 and its follow-ups): a bash function definition in a value that a CGI
 * program passes to bash through the environment, usually a header.
 */
import { isDocumentLayout } from '../prose';
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

const FUNCTION_DEFINITION_RULE: RegexRule = {
  id: 920302,
  classification: 'Shellshock',
  state: 'Exploitation',
  risk: 90,
  severity: 'critical',
  confidence: 'high',
  form: 'decoded',
  description: 'ShellshockAnalyzer: bash function definition in input (CVE-2014-6271, CVE-2014-7169, CVE-2014-6278)',
  pattern:
    /\(\s{0,10}\)\s{0,10}\{\s{0,10}(?::|_|\(|[a-z]{1,10}\s{0,5}[;:=(])|\(\s{0,10}\)\s{0,10}\{\s{0,10}\}\s{0,10};|\(a\)=>\\|\(\s{0,10}\)\s{0,10}\{\s{0,10}\(\s{0,10}\)\s{0,10}\{/,
};

export const SHELLSHOCK_RULES: readonly RegexRule[] = [
  {
    id: 920301,
    classification: 'Shellshock',
    state: 'Exploitation',
    risk: 95,
    severity: 'critical',
    confidence: 'high',
    form: 'decoded',
    description: 'ShellshockAnalyzer: bash function definition followed by a command (CVE-2014-6271)',
    pattern: /^\s{0,10}\(\s{0,10}\)\s{0,10}\{[^}]{0,200}\}\s{0,10};/,
  },
  FUNCTION_DEFINITION_RULE,
];

const PREFILTER = /\(\s{0,10}\)|\(a\)=>/;

export const shellshockPack: RulePack = {
  name: 'shellshock',
  classification: 'Shellshock',
  rules: SHELLSHOCK_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) =>
    matchRegexRules(SHELLSHOCK_RULES, v, (rule) => {
      if (rule !== FUNCTION_DEFINITION_RULE || (!isSourceCode(v.decoded) && !onlyInJavaScriptFunctions(v.decoded))) report(rule);
    }),
};

/**
 * The rule matches only where `() {` follows the `function` keyword (`window.q || function() { (q
 * = …`): JavaScript's anonymous functions, in an analytics snippet or a tag manager's settings.
 * Bash defines a function as `name() {` or `function name {`; an exported definition starts `() {`.
 */
function onlyInJavaScriptFunctions(decoded: string): boolean {
  return decoded.indexOf('function') >= 0 && !FUNCTION_DEFINITION_RULE.pattern.test(decoded.replace(JAVASCRIPT_FUNCTION, ' '));
}
const JAVASCRIPT_FUNCTION = /\bfunction\s{0,5}\(\s{0,10}\)\s{0,10}\{/g;

/**
 * Source code on several lines (a playground's Go, C or shell function: `func main() {`, `f() {
 * x=1;`): bash reads a function definition from the environment only at a value's start, and a
 * payload is one line. At a value's start it still counts.
 */
function isSourceCode(text: string): boolean {
  return isDocumentLayout(text) && !FUNCTION_AT_START.test(text);
}
const FUNCTION_AT_START = /^\s{0,10}\(\s{0,10}\)\s{0,10}\{/;
