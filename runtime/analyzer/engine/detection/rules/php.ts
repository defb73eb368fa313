/**
 * PHP code injection: PHP open tags, calls of functions that run commands or code, superglobals,
 * stream wrappers that read input or run commands, serialized PHP objects (object injection),
 * functions called by a name built at run time (webshell obfuscation), and requests that make a
 * framework call a function or method of the attacker's choosing (ThinkPHP routes and method
 * override, Drupal render-array callbacks). Fact lists written from public knowledge of PHP's
 * dangerous functions and of those frameworks.
 */
import type { Parameter, RequestView } from '../../message-view';
import { ruleScore } from '../scoring';
import type { AttackHit, Rule, RulePack } from '../types';
import { PROBE_COMMANDS } from '../shell';
import type { InspectedValue } from '../value';
import { matchRegexRules, matchRegexRulesOnText, type RegexRule } from './regex-rule';

/** Functions that run commands, evaluate code or call back into arbitrary functions. */
const EXEC_FUNCTIONS =
  'system|shell_exec|passthru|exec|popen|proc_open|pcntl_exec|expect_popen|eval|assert|create_function|call_user_func(?:_array)?|' +
  'preg_replace_callback|array_map|array_filter|usort|uasort|register_shutdown_function|register_tick_function|forward_static_call(?:_array)?|' +
  'phpinfo|include|include_once|require|require_once|highlight_file|show_source|php_uname|getenv|putenv|ini_set|dl|mail|' +
  'file_get_contents|file_put_contents|fopen|fwrite|readfile|file|unlink|rename|copy|move_uploaded_file|chmod|mkdir|scandir|glob|' +
  'base64_decode|gzinflate|gzuncompress|str_rot13|hex2bin|unserialize|extract|parse_str|fsockopen|pfsockopen|curl_exec|escapeshellcmd';

/**
 * Functions a webshell calls by a name held in a string (`"system"("id")`): commands, code,
 * callbacks, files and decoders. Not the names prose quotes before a quoted aside
 * (`"copy" ("Ctrl+C")`, `"file"`, `"mail"`).
 */
const STRING_CALLEES =
  'system|shell_exec|passthru|exec|popen|proc_open|pcntl_exec|expect_popen|assert|create_function|call_user_func(?:_array)?|' +
  'preg_replace(?:_callback)?|array_map|array_filter|usort|register_shutdown_function|forward_static_call(?:_array)?|' +
  'phpinfo|php_uname|file_put_contents|file_get_contents|fwrite|readfile|highlight_file|show_source|unlink|move_uploaded_file|' +
  'base64_decode|gzinflate|gzuncompress|str_rot13|strrev|hex2bin|unserialize|fsockopen|curl_exec|putenv|ini_set';

/** Functions that turn one string into another: how a webshell spells a function's name it then calls. */
const NAME_BUILDERS =
  'str_rot13|strrev|base64_decode|hex2bin|gzinflate|gzuncompress|gzdecode|urldecode|rawurldecode|convert_uudecode|' +
  'implode|join|chr|str_replace|substr|sprintf|pack|strtolower|strtoupper|ucfirst|ucwords|trim|str_repeat';

/** What a call's argument list starts with in an injected call: a string, a variable, a number, a nested call or nothing. */
const CALL_ARGUMENT = String.raw`\(\s{0,5}(?:['"\x60$\d)]|[a-z_]{1,40}\s{0,5}\()`;

const CODE_CALL_RULE: RegexRule = {
  id: 400108,
  classification: 'PhpInjection',
  state: 'Exploitation',
  risk: 90,
  severity: 'critical',
  confidence: 'high',
  description: 'PhpAnalyzer: PHP code or command execution call',
  pattern:
    /<\?php\b|<\?=\s{0,5}\$|\b(?:system|shell_exec|passthru|exec|popen|proc_open|pcntl_exec|assert)\s{0,5}\(\s{0,5}(?:['"\x60$]|base64_decode|\$_)|\beval\s{0,5}\(\s{0,5}(?:base64_decode|gzinflate|str_rot13|\$_(?:get|post|request|cookie|server))|\b(?:require|include)(?:_once)?\s{0,5}\(?\s{0,5}['"]?(?:https?|ftp|php|data|expect):\/\//,
};

const BREAKOUT_CALL_RULE: RegexRule = {
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
};

export const PHP_RULES: readonly RegexRule[] = [
  CODE_CALL_RULE,
  BREAKOUT_CALL_RULE,
  {
    id: 410102,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: PHP superglobal, variable function call, or a call inside complex string interpolation ({${sleep(5)}}) in input',
    // A callee may be indexed (`$_[0]($_[1])`) or a variable variable (`${$_}[_](${$_}[__])`), and
    // a superglobal named by a string (`${'_GET'}`, also once `'_'.'GET'` is joined).
    pattern:
      /\$_(?:get|post|request|cookie|server|files|env|session)\s{0,5}\[|\$globals\s{0,5}\[|\$\{\s{0,5}\$?_?(?:get|post|request)\b|\$\{\s{0,5}['"]_(?:get|post|request|cookie|server|files|env)['"]\s{0,5}\}|\$(?:\{\s{0,5}[$'"][^{}]{0,60}\}|\w{1,30})\s{0,5}(?:\[[^[\]()]{0,40}\]\s{0,5}){0,3}\(\s{0,5}(?:\$_|\$\{\s{0,5}[$'"])|\{\$\{\s{0,5}[a-z_][\w\\]{0,60}\s{0,5}\(/,
  },
  {
    id: 410103,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: PHP stream wrapper that reads request input, filters source or runs commands',
    // A data: URI in any of the forms PHP's wrapper takes (`data:;base64,`, `data:text/plain,`)
    // counts when its content is PHP code: base64 of `<?p`, `<?P`, `<?=`, `<? ` or `<?` and a line break.
    pattern:
      /\bphp:\/\/(?:input|filter|fd|stdin|memory|temp)\b|\bexpect:\/\/|\bphar:\/\/|\bzip:\/\/[^#\s]{1,200}#|\bdata:\/\/text\/plain|\bglob:\/\/|\bdata:(?:\/\/)?[\w.+/-]{0,60}(?:;[\w.=-]{0,40}){0,3},\s{0,3}(?:pd9w|pd9q|pd89|pd8g|pd8k)/,
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
    // Also after `.` or `|`: inside a string a gadget chain opens with junk (Roundcube's
    // `s:57:".O:16:"Crypt_GPG_Engine"…`, CVE-2025-49113), and PHP's session records are `key|value`.
    pattern: /(?:^|[;{}"'\s=.|])O:\d{1,4}:"[A-Za-z_\\][\w\\]{0,200}":\d{1,4}:\{|(?:^|[;{}"'\s=.|])C:\d{1,4}:"[A-Za-z_\\][\w\\]{0,200}":\d{1,6}:\{/,
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
  {
    id: 410106,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: function called by a name built at run time (a string, a decoded or XORed string, a variable)',
    // Read also with string literals joined (`("sys"."tem")("id")`); escapes (`"\x73..."`) are
    // decoded before any rule reads a value.
    pattern: new RegExp(
      [
        String.raw`['"](?:${STRING_CALLEES})['"]\s{0,5}\)?\s{0,5}${CALL_ARGUMENT}`,
        String.raw`\$\w{1,30}\s{0,5}=\s{0,5}(?:(?:${NAME_BUILDERS})\s{0,5}\(|['"])[^;]{0,200};\s{0,10}@?\$\w{1,30}\s{0,5}${CALL_ARGUMENT}`,
        // Letters made by XORing strings of punctuation (`"\x60{{{"^"?<>/"` is "_GET")
        String.raw`['"][^\w\s'"]{1,40}['"]\s{0,5}\^\s{0,5}['"][^\w\s'"]{1,40}['"]`,
        // Two strings XORed (of control bytes too) and called at once: `("\x13\x19..."^"\x60\x60...")("id")`
        String.raw`\(\s{0,5}['"][^'"]{1,40}['"]\s{0,5}\^\s{0,5}['"][^'"]{1,40}['"]\s{0,5}\)\s{0,5}${CALL_ARGUMENT}`,
        // A name decoded and called at once: `strrev('metsys')('id')`, `(str_rot13('flfgrz'))('id')`
        String.raw`\b(?:${NAME_BUILDERS})\s{0,5}\(\s{0,5}['"][^'"]{1,60}['"]\s{0,5}\)\s{0,5}\)?\s{0,5}${CALL_ARGUMENT}`,
        // A command or code function handed by name to a callback runner: `array_filter(['id'],'system')`,
        // `(new ReflectionFunction('system'))->invoke('id')`
        String.raw`\b(?:array_(?:filter|map|walk(?:_recursive)?|reduce)|u[ak]?sort|call_user_func(?:_array)?|register_(?:shutdown|tick)_function|iterator_apply|forward_static_call(?:_array)?|preg_replace_callback|ob_start|set_(?:error|exception)_handler|spl_autoload_register|new\s{1,5}reflectionfunction)\s{0,5}\([^;]{0,200}?['"](?:system|shell_exec|passthru|exec|popen|proc_open|pcntl_exec|assert|create_function|phpinfo)['"]`,
      ].join('|'),
    ),
  },
  {
    id: 410107,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: "PhpAnalyzer: route to a framework core class's method (ThinkPHP `\\think\\app/invokefunction`)",
    // ThinkPHP dispatches `module/controller/action` and takes a namespaced class as the
    // controller: `index/\think\app/invokefunction`, `\think\Request/input`, `\think\view\driver\Php/display`.
    pattern: /(?:^|[/=\s])\\?think\\[a-z][\w\\]{0,60}\/[a-z_]{2,40}/,
  },
  {
    id: 410108,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: Drupal render-array property that takes a callback, set from the request (Drupalgeddon2)',
    // Form fields are named by element keys; a `#` property in a name (`mail[#post_render][]`) sets
    // the element's own behaviour, and these properties name functions Drupal calls. After a key,
    // not alone: `[#process]` is also a Markdown link's text.
    pattern:
      /[\w\]]\[\s{0,3}['"]?#(?:post_render|pre_render|lazy_builder|access_callback|process|after_build|element_validate|value_callback|submit|validate)['"]?\s{0,3}\]/,
  },
  {
    id: 410110,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: php-cgi -d argument setting a configuration directive (CVE-2012-1823, CVE-2024-4577)',
    // php-cgi reads a query string without `=` as its command line; Windows' best-fit mapping
    // turns a soft hyphen into `-` (CVE-2024-4577), and getopt takes the argument attached or
    // apart (`-dallow_url_include=1`, `-d allow_url_include=1`). These directives turn remote
    // includes on, prepend a file to every script or lift the sandbox. The directive alone is
    // what php.ini questions and configuration editors send.
    pattern:
      /(?:^|[\s&])[-\u00ad\ufffd]d\s{0,5}(?:allow_url_(?:include|fopen)|auto_(?:pre|ap)pend_file|disable_(?:functions|classes)|open_basedir|safe_mode(?:_exec_dir)?|register_globals|enable_dl|cgi\.(?:force_redirect|redirect_status_env)|suhosin\.[a-z_.]{2,40}|user_ini\.filename|short_open_tag|extension)\s{0,5}=/,
    needs: [
      'allow_url_',
      'auto_',
      'disable_',
      'open_basedir',
      'safe_mode',
      'register_globals',
      'enable_dl',
      'cgi.',
      'suhosin.',
      'user_ini.',
      'short_open_tag',
      'extension',
    ],
  },
  {
    id: 410113,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'PhpAnalyzer: PHP-FPM setting injected through PHP_VALUE or PHP_ADMIN_VALUE (CVE-2019-11043, FastCGI reached over SSRF)',
    // FastCGI's PHP_VALUE parameter takes `directive=value` lines: a line break after its name in a
    // request (an nginx path_info underflow, a gopher:// payload to port 9000) sets php.ini for the
    // worker, auto_prepend_file first.
    pattern: /\bphp_(?:admin_)?value[\s\x00-\x1f]{1,8}[a-z_.]{3,40}\s{0,3}=/,
    needs: ['php_'],
  },
  {
    id: 410115,
    classification: 'PhpInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: "PhpAnalyzer: string break-out concatenating a function call into the string (`'.print(md5(31337)).'`)",
    // Input a script puts inside a quoted string that it then evals: the value closes the string,
    // concatenates a call and reopens it. The whole value is that fragment (after at most a word),
    // where code pasted in a post has its own text around it.
    pattern: /^[^\s'"]{0,60}(['"])\s{0,3}\.\s{0,3}@?[a-z_][\w]{1,40}\s{0,3}\((?:[^()\n]|\([^()\n]{0,100}\)){0,200}\)\s{0,3}\.\s{0,3}\1[^\s'"]{0,60}$/,
  },
];

/**
 * A parameter that names what a framework calls (ThinkPHP's `_method` and `filter`, callback and
 * function parameters), when it is given a PHP magic method (`_method=__construct` makes ThinkPHP
 * call the request's constructor with the form's fields) or a function that runs code and is no
 * word (`function=call_user_func_array`). `filter=system` or `f=exec` alone read as words.
 */
const CALLABLE_PARAMETER = /^(?:_?method|_?function|func|fn|callback|cb|call|handler|filter|action)(?:\[\d{0,3}\])?$/;
const CALLABLE_VALUE =
  /^\s{0,3}(?:__(?:construct|destruct|call|callstatic|get|set|isset|unset|sleep|wakeup|serialize|unserialize|tostring|invoke|set_state|clone|debuginfo)|call_user_func(?:_array)?|create_function|shell_exec|proc_open|pcntl_exec|forward_static_call(?:_array)?|register_shutdown_function|preg_replace_callback|phpinfo)\s{0,3}$/;

const CALLABLE_PARAMETER_RULE: Rule = {
  id: 410109,
  classification: 'PhpInjection',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description: 'PhpAnalyzer: PHP magic method or code-running function given to a parameter that names what is called',
};

const namesCallable = (v: InspectedValue): boolean => CALLABLE_PARAMETER.test(v.lowerName);

/**
 * A request variable named like a superglobal (`_SESSION[is_admin]=1`, `GLOBALS[cfg][host]=`,
 * `_SERVER[REMOTE_ADDR]=`): where a script imports request variables into its scope (extract(),
 * parse_str() without a result array, register_globals), it overwrites the session, the server's
 * view of the client or any global. No client names a field so: PHP itself reserves the names.
 */
const SUPERGLOBAL_OVERRIDE_RULE: Rule = {
  id: 410112,
  classification: 'PhpInjection',
  state: 'Exploitation',
  risk: 80,
  severity: 'critical',
  confidence: 'high',
  description:
    'PhpAnalyzer: request variable named like a PHP superglobal (_SESSION[...], GLOBALS[...]): overwrites it where a script imports request variables',
};
const SUPERGLOBAL_NAME = /^(?:_(?:session|server|cookie|env|files|request|get|post)|globals)\[/;
/** The same inside a query string a value carries for parse_str() (`prefs=_SESSION[role]=admin`). */
const SUPERGLOBAL_ASSIGNMENT =
  /(?:^|[&;?])\s{0,3}(?:_(?:session|server|cookie|env|files|request|get|post)|globals)\s{0,3}\[[^\]=&]{0,64}\]\s{0,3}(?:\[[^\]=&]{0,64}\]\s{0,3}){0,4}=/;

function overridesSuperglobal(v: InspectedValue): boolean {
  return v.lower.indexOf('[') >= 0 && SUPERGLOBAL_ASSIGNMENT.test(v.lower);
}

/** Parameter and cookie names are read here: names made of word characters and brackets reach no pack. */
export function superglobalNameHits(request: RequestView): AttackHit[] {
  const named = request.query.find(namesSuperglobal) ?? request.bodyParams.find(namesSuperglobal) ?? request.cookies.find(namesSuperglobal);
  if (named === undefined) return [];
  return [
    { rule: SUPERGLOBAL_OVERRIDE_RULE, location: named.location, parameter: named.name, value: named.value, score: ruleScore(SUPERGLOBAL_OVERRIDE_RULE) },
  ];
}

/** Every superglobal's name starts with `_` or `G`: others are not lower-cased and matched. */
function namesSuperglobal(p: Parameter): boolean {
  const first = p.name.charCodeAt(0) | 0x20;
  return (first === 0x7f /* _ */ || first === 0x67) /* g */ && SUPERGLOBAL_NAME.test(p.name.toLowerCase());
}

/** String literals joined (`"sys"."tem"`, `'_'.'GET'`): PHP's concatenation, a name spelled in parts. */
const STRING_JOINT = /['"]\s{0,5}\.\s{0,5}['"]/g;

const PREFILTER =
  /<\?|\(|\$|php:|php_(?:admin_)?value|expect:|phar:|zip:|data:|glob:|o:\d|c:\d|(?:require|include)(?:_once)?\s{0,5}\(?\s{0,5}['"]?[a-z]{3,6}:\/\/|think\\|\[\s{0,3}['"]?#|['"]\s{0,5}\^/;
/** php-cgi's `-d` (or a soft hyphen's best-fit `-d`) before a directive: looked for only where a `d` follows one. */
const CGI_ARGUMENT_LEAD = /[-\u00ad\ufffd]d\s{0,5}(?:allow|auto|disable|open|safe|register|enable|cgi|suhosin|user|short|extension)/;

function mayHoldCgiArgument(lower: string): boolean {
  return (lower.indexOf('-d') >= 0 || lower.indexOf('\u00add') >= 0 || lower.indexOf('\ufffdd') >= 0) && CGI_ARGUMENT_LEAD.test(lower);
}

/**
 * php-cgi takes a query string without an unencoded `=` as its command line (CVE-2012-1823; on
 * Windows a soft hyphen maps to `-`, CVE-2024-4577): `?-s` prints the script's source, `?-i`
 * phpinfo, `?-n` drops php.ini. An option letter leads it, alone or before `+` and more options.
 */
const CGI_ARGUMENT_RULE: Rule = {
  id: 410111,
  classification: 'PhpInjection',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description:
    'PhpAnalyzer: query string PHP reads as command-line options (php-cgi: `?-s` discloses the source, CVE-2012-1823, CVE-2024-4577; register_argc_argv: `?--templatesPath=`, CVE-2024-56145)',
};
const CGI_OPTIONS_QUERY = /^(?:-|%2d|%ad|%c2%ad)[a-z](?:$|\+|%20|%2b)/i;
/**
 * With `register_argc_argv` on, PHP hands a web request's query string to `$argv` too: an
 * application that reads console options from `$argv` takes `?--templatesPath=ftp://...` as one.
 */
const LONG_OPTION_QUERY = /^(?:--|%2d%2d)[a-z][\w-]{1,40}(?:=|%3d)/i;

export function phpCgiArgumentHits(request: RequestView): AttackHit[] {
  const query = request.rawQuery;
  if (query.length === 0 || !(LONG_OPTION_QUERY.test(query) || (query.indexOf('=') < 0 && CGI_OPTIONS_QUERY.test(query)))) return [];
  return [{ rule: CGI_ARGUMENT_RULE, location: 'query', parameter: '', value: query, score: ruleScore(CGI_ARGUMENT_RULE) }];
}

/**
 * A web shell that calls one parameter with another (`$_GET[0]($_GET[1])`, `array_map($_GET['cb'],
 * ...)`): one value is the name of a PHP function that runs a command and another is a command
 * line a shell's first call sends (`?0=system&1=id`, `?a=passthru&b=uname -a`). Either alone is a
 * word (`theme=system`) or a form field.
 */
const CALLBACK_AND_COMMAND_RULE: Rule = {
  id: 410114,
  classification: 'PhpInjection',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description: 'PhpAnalyzer: one parameter names a command-running PHP function and another holds a command for it (a variable-function web shell call)',
};
const COMMAND_FUNCTION = /^\s{0,3}(?:system|passthru|shell_exec|exec|popen|proc_open|pcntl_exec|assert)\s{0,3}$/i;
/**
 * Function names that are also words (`theme=system`, `mode=exec`): then only a callee named by a
 * number (`$_GET[0]`) or like a callback (`cb`), or a probe that is no word, counts.
 */
const WORD_FUNCTION = /^\s{0,3}(?:system|exec|assert)\s{0,3}$/i;
const NUMBERED = /^\d{1,2}$/;
/** Probes that are no word or code of another kind (not `id`, `ls`, `dir`, `set`, `w`). */
const UNMISTAKABLE_PROBE = /^\s{0,3}(?:whoami|uname|ifconfig|ipconfig|netstat|systeminfo|printenv|tasklist|lsb_release|hostname)\b/i;
/** A first command a web shell runs: a probe name, alone or with options or a system path. */
const PROBE_COMMAND_LINE = /^\s{0,3}([a-z][a-z_-]{0,20})(?:\s{1,3}(?:-{1,2}[a-z]{1,12}|\/[a-z][\w./-]{0,60})){0,3}\s{0,3}$/i;

function isProbeCommandLine(value: string): boolean {
  const m = PROBE_COMMAND_LINE.exec(value);
  return m !== null && PROBE_COMMANDS.has(m[1]!.toLowerCase());
}

/** Parameters looked through: a web shell call has a few. */
const MAX_CALLBACK_PARAMETERS = 32;

export function callbackAndCommandHits(request: RequestView): AttackHit[] {
  const count = request.query.length + request.bodyParams.length;
  if (count < 2 || count > MAX_CALLBACK_PARAMETERS) return [];
  const isCallback = (p: Parameter): boolean => p.value.length <= 16 && COMMAND_FUNCTION.test(p.value);
  const callback = request.query.find(isCallback) ?? request.bodyParams.find(isCallback);
  if (callback === undefined) return [];
  const params = [...request.query, ...request.bodyParams];
  const command = params.find((p) => p !== callback && p.value.length <= 80 && isProbeCommandLine(p.value));
  if (command === undefined) return [];
  const calleeNamed = NUMBERED.test(callback.name) || CALLABLE_PARAMETER.test(callback.name.toLowerCase());
  if (WORD_FUNCTION.test(callback.value) && !calleeNamed && !UNMISTAKABLE_PROBE.test(command.value) && !/\s/.test(command.value.trim())) return [];
  return [
    {
      rule: CALLBACK_AND_COMMAND_RULE,
      location: command.location,
      parameter: command.name,
      value: `${callback.value}(${command.value})`,
      score: ruleScore(CALLBACK_AND_COMMAND_RULE),
    },
  ];
}

/**
 * C and C++ source (a line `#include <stdio.h>`, and no PHP tag): a judge's or a forum's program
 * calls the C library's `system("pause")` and `popen(cmd, "r")`. PHP reads `#include` as a comment,
 * so the same text would still be PHP, but no request that injects PHP starts its code so.
 */
function isCSource(lower: string): boolean {
  return C_INCLUDE.test(lower) && lower.indexOf('<?') < 0;
}
const C_INCLUDE = /(?:^|\n)[ \t]{0,8}#[ \t]{0,4}include[ \t]{0,4}[<"][\w./+-]{1,60}[>"]/;
/** The call rules a C library call matches; the PHP-only syntax rules still count. */
const C_LIBRARY_CALL_RULES: ReadonlySet<Rule> = new Set([CODE_CALL_RULE, BREAKOUT_CALL_RULE]);

export const phpInjectionPack: RulePack = {
  name: 'php',
  readsUploads: true,
  classification: 'PhpInjection',
  rules: [...PHP_RULES, CALLABLE_PARAMETER_RULE, CGI_ARGUMENT_RULE, SUPERGLOBAL_OVERRIDE_RULE, CALLBACK_AND_COMMAND_RULE],
  readsPlainValues: namesCallable,
  prefilter: (v) => PREFILTER.test(v.lower) || mayHoldCgiArgument(v.lower) || (namesCallable(v) && CALLABLE_VALUE.test(v.lower)) || overridesSuperglobal(v),
  inspect: (v, report) => {
    let cSource: boolean | undefined;
    matchRegexRules(PHP_RULES, v, (rule) => {
      if (!C_LIBRARY_CALL_RULES.has(rule) || !(cSource ??= isCSource(v.lower))) report(rule);
    });
    if (overridesSuperglobal(v)) report(SUPERGLOBAL_OVERRIDE_RULE);
    if (namesCallable(v) && CALLABLE_VALUE.test(v.lower)) report(CALLABLE_PARAMETER_RULE);
    if (v.lower.indexOf('.') < 0) return;
    const joined = v.lower.replace(STRING_JOINT, '');
    if (joined !== v.lower) matchRegexRulesOnText(PHP_RULES, joined, report);
  },
};
