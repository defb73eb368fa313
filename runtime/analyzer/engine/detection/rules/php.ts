/**
 * PHP code injection: PHP open tags, calls of functions that run commands or code, superglobals,
 * stream wrappers that read input or run commands, and serialized PHP objects (object injection).
 * Fact lists written from public knowledge of PHP's dangerous functions.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

/** Functions that run commands, evaluate code or call back into arbitrary functions. */
const EXEC_FUNCTIONS =
  'system|shell_exec|passthru|exec|popen|proc_open|pcntl_exec|expect_popen|eval|assert|create_function|call_user_func(?:_array)?|' +
  'preg_replace_callback|array_map|array_filter|usort|uasort|register_shutdown_function|register_tick_function|forward_static_call(?:_array)?|' +
  'phpinfo|include|include_once|require|require_once|highlight_file|show_source|php_uname|getenv|putenv|ini_set|dl|mail|' +
  'file_get_contents|file_put_contents|fopen|fwrite|readfile|file|unlink|rename|copy|move_uploaded_file|chmod|mkdir|scandir|glob|' +
  'base64_decode|gzinflate|gzuncompress|str_rot13|hex2bin|unserialize|extract|parse_str|fsockopen|pfsockopen|curl_exec|escapeshellcmd';

export const PHP_RULES: readonly RegexRule[] = [
  {
    id: 400108,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: PHP code or command execution call',
    pattern:
      /<\?php\b|<\?=\s{0,5}\$|\b(?:system|shell_exec|passthru|exec|popen|proc_open|pcntl_exec|assert)\s{0,5}\(\s{0,5}(?:['"\x60$]|base64_decode|\$_)|\beval\s{0,5}\(\s{0,5}(?:base64_decode|gzinflate|str_rot13|\$_(?:get|post|request|cookie|server))|\b(?:require|include)(?:_once)?\s{0,5}\(?\s{0,5}['"]?(?:https?|ftp|php|data|expect):\/\//,
  },
  {
    id: 410101,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: statement break-out followed by a dangerous PHP call',
    // An empty call only where it does something alone: `the copy() function` is prose.
    pattern: new RegExp(
      String.raw`(?:^|[;'")}\]]|\?>)\s{0,10}@?(?:(?:${EXEC_FUNCTIONS})\s{0,5}\(\s{0,5}(?:['"\x60$]|\d|[a-z_]{1,40}\s{0,5}\()|(?:phpinfo|php_uname|getenv)\s{0,5}\(\s{0,5}\))`,
    ),
    requires: /[;'")}\]]|\?>|^\s{0,10}@?[a-z_]{2,40}\s{0,5}\(/,
  },
  {
    id: 410102,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: PHP superglobal or variable function call in input',
    pattern:
      /\$_(?:get|post|request|cookie|server|files|env|session)\s{0,5}\[|\$globals\s{0,5}\[|\$\{\s{0,5}\$?_?(?:get|post|request)\b|\$\w{1,30}\s{0,5}\(\s{0,5}\$_/,
  },
  {
    id: 410103,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: PHP stream wrapper that reads request input, filters source or runs commands',
    pattern: /\bphp:\/\/(?:input|filter|fd|stdin|memory|temp)\b|\bexpect:\/\/|\bphar:\/\/|\bzip:\/\/[^#\s]{1,200}#|\bdata:\/\/text\/plain|\bglob:\/\//,
  },
  {
    id: 410104,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    form: 'decoded',
    description: 'PhpAnalyzer: serialized PHP object (object injection)',
    pattern: /(?:^|[;{}"'\s=])O:\d{1,4}:"[A-Za-z_\\][\w\\]{0,200}":\d{1,4}:\{|(?:^|[;{}"'\s=])C:\d{1,4}:"[A-Za-z_\\][\w\\]{0,200}":\d{1,6}:\{/,
  },
  {
    id: 410105,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: preg_replace with the code-evaluating /e modifier',
    pattern: /\bpreg_replace\s{0,5}\(\s{0,5}['"](.).{0,200}\1[a-z]{0,6}e[a-z]{0,6}['"]/,
  },
];

const PREFILTER = /<\?|\(|\$|php:|expect:|phar:|zip:|data:|glob:|o:\d|c:\d|(?:require|include)(?:_once)?\s{0,5}\(?\s{0,5}['"]?[a-z]{3,6}:\/\//;

export const phpInjectionPack: RulePack = {
  name: 'php',
  readsUploads: true,
  classification: 'PhpInjection',
  rules: PHP_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(PHP_RULES, v, report),
};
