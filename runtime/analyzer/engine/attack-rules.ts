/**
 * Attack signatures. Every pattern is linear-time by construction (bounded repetition, no nested
 * unbounded quantifiers) and checked with recheck in the tests. Patterns run on the lower-cased,
 * fully decoded value (see normalizeForDetection); `input` says which other form a rule needs.
 */

export type AttackClassification =
  | 'SqlInjection'
  | 'Xss'
  | 'PathTraversal'
  | 'CommandInjection'
  | 'Ssrf'
  | 'Xxe'
  | 'TemplateInjection'
  | 'Log4Shell'
  | 'NoSqlInjection'
  | 'LdapInjection'
  | 'XPathInjection'
  | 'CrlfInjection'
  | 'ScannerDetection'
  | 'PrototypePollution'
  | 'MaliciousUpload'
  | 'OpenRedirect'
  | 'RequestSmuggling'
  | 'ForcedBrowsing';

export interface AttackRule {
  /** Stable rule id, reported as MatchEvent matches[].id. */
  readonly id: number;
  readonly classification: AttackClassification;
  readonly description: string;
  readonly state: 'Exploitation' | 'Reconnaissance';
  /** 0..100, reported as matches[].risk. */
  readonly risk: number;
  readonly pattern: RegExp;
  /** A second pattern that must also match (keeps each pattern simple and linear). */
  readonly requires?: RegExp;
  /**
   * Which form of the value the rule reads: the decoded lower-cased value (default), the SQL
   * form (comments removed), the compact form (tabs/newlines/NULs removed, as browsers do inside
   * URLs) or the lookup form (Log4j lookup obfuscation such as `${::-j}` resolved).
   */
  readonly input?: 'sql' | 'compact' | 'lookup';
}

const SQL_OPERAND_COMPARISON =
  String.raw`(?:not\s{1,10})?(?:\(\s{0,3}){0,3}['"\x60]{0,2}[\w.@$-]{0,40}['"\x60)]{0,3}\s{0,10}(?:=|<=?>?|>=?|!=|\blike\b|\bregexp\b|\brlike\b|\bis\s{1,10}(?:not\s{1,10})?null\b|\bbetween\b|\bin\s{0,10}\()`;

export const SQL_RULES: readonly AttackRule[] = [
  {
    id: 100101, classification: 'SqlInjection', state: 'Exploitation', risk: 90, input: 'sql',
    description: 'SqlAnalyzer: UNION SELECT',
    pattern: /\bunion\b[\s(]{0,20}(?:all\b[\s(]{0,20}|distinct\b[\s(]{0,20})?select\b/,
  },
  {
    id: 100102, classification: 'SqlInjection', state: 'Exploitation', risk: 80, input: 'sql',
    description: 'SqlAnalyzer: boolean condition after a string or number break-out',
    pattern: new RegExp(
      String.raw`(?:^\s{0,10}-?\d{1,20}|['"\x60)])\s{0,10}(?:\b(?:or|and|xor)\b\s{0,10}(?:${SQL_OPERAND_COMPARISON}|\d{1,20}\s{0,10}(?:--|#|;|$)|(?:true|false)\b|(?:sleep|benchmark|pg_sleep|exists|ascii|substr|substring|length|char|mid|ord|if|case|updatexml|extractvalue)\s{0,10}\()|(?:\|\||&&)\s{0,10}(?:['"\x60]|\d|\(\s{0,10}select\b)[\w.@$-]{0,40}['"\x60]?\s{0,10}(?:=|<|>|\blike\b))`,
    ),
  },
  {
    id: 100109, classification: 'SqlInjection', state: 'Exploitation', risk: 70, input: 'sql',
    description: 'SqlAnalyzer: value starting with a boolean tautology',
    pattern: /^\s{0,5}(?:or|and|xor|\|\||&&)\s{1,10}(?:\d{1,10}\s{0,5}(?:=|<|>|like\b)\s{0,5}\d|'[^'\n]{0,20}'\s{0,5}=\s{0,5}'|"[^"\n]{0,20}"\s{0,5}=\s{0,5}"|true\b|not\s{1,5}false\b)/,
  },
  {
    id: 100103, classification: 'SqlInjection', state: 'Exploitation', risk: 70, input: 'sql',
    description: 'SqlAnalyzer: quote followed by a comment that cuts the query',
    pattern: /['"`]\){0,5}(?:--|#|\/\*)(?:[\s+-]|$)|['"`]\s{0,5}\){0,5}\s{0,5}(?:--|#)\s{0,5}-?$/,
  },
  {
    id: 100104, classification: 'SqlInjection', state: 'Exploitation', risk: 90, input: 'sql',
    description: 'SqlAnalyzer: stacked query',
    pattern:
      /(?:['"`)]|\b\d{1,20})\s{0,10};\s{0,10}(?:drop\s{1,10}(?:table|database|schema|user|view)\b|delete\s{1,10}from\b|insert\s{1,10}into\b|update\s{1,10}\w{1,64}\s{1,10}set\b|select\s|exec(?:ute)?\s|declare\s{1,10}@|shutdown\b|create\s{1,10}(?:table|user|database|function|procedure)\b|alter\s{1,10}(?:table|user|database)\b|truncate\s{1,10}table\b|waitfor\s{1,10}delay\b|set\s{1,10}@|call\s{1,10}\w|grant\s)/,
  },
  {
    id: 100105, classification: 'SqlInjection', state: 'Exploitation', risk: 80, input: 'sql',
    description: 'SqlAnalyzer: time-based blind injection',
    pattern:
      /^\s{0,5}(?:sleep|pg_sleep|benchmark)\s{0,5}\(\s{0,5}\d{1,9}\s{0,5}(?:,[^()]{0,40})?\)\s{0,5}(?:--|#|;|$)|(?:\b(?:and|or|xor|select|if|then|else|when|not|by)\b|[,;'"|&=])[\s(]{0,10}(?:sleep|pg_sleep|randomblob|dbms_lock\.sleep|dbms_pipe\.receive_message)\s{0,10}\(\s{0,10}['"\w(]|\bbenchmark\s{0,10}\(\s{0,10}\d{3,12}\s{0,10},|\bwaitfor\s{1,10}(?:delay|time)\s{1,10}['"]/,
  },
  {
    id: 100106, classification: 'SqlInjection', state: 'Exploitation', risk: 80, input: 'sql',
    description: 'SqlAnalyzer: database catalog or dangerous function',
    pattern:
      /\b(?:information_schema|sysobjects|syscolumns|sysdatabases|pg_catalog|pg_shadow|sqlite_master|mysql\.user|all_tables|user_tables|dba_users|msysobjects)\b|\b(?:xp_cmdshell|sp_executesql|sp_oacreate|sp_makewebtask|xp_regread|xp_dirtree|load_file|utl_http\.request|utl_inaddr|dbms_xmlgen|extractvalue|updatexml|pg_read_file|lo_import|dbms_java)\s{0,10}\(|@@(?:version|datadir|hostname|basedir|servername)\b|\binto\s{1,10}(?:out|dump)file\b|\bdeclare\s{1,10}@\w{1,64}\s{1,10}(?:n?varchar|n?char|int|sysname|table)\b|\bexec(?:ute)?\s{0,10}\(\s{0,10}@\w/,
  },
  {
    id: 100107, classification: 'SqlInjection', state: 'Exploitation', risk: 80, input: 'sql',
    description: 'SqlAnalyzer: subquery after a break-out',
    pattern: /(?:\b(?:and|or|xor|not|rlike|regexp|like|in)\b|['"`=]|\|\|)\s{0,10}\(\s{0,10}select\b/,
  },
  {
    id: 100108, classification: 'SqlInjection', state: 'Reconnaissance', risk: 60, input: 'sql',
    description: 'SqlAnalyzer: column-count probing (ORDER BY / GROUP BY / HAVING)',
    pattern: /(?:['"`)]|^\s{0,5}\d{1,10})\s{0,10}(?:order|group)\s{1,10}by\s{1,10}\d{1,3}\b|^\s{0,5}(?:order|group)\s{1,10}by\s{1,10}\d{1,3}\s{0,5}(?:--|#|$)|\bhaving\s{1,10}\d{1,10}\s{0,10}=\s{0,10}\d/,
  },
];

const EVENT_HANDLERS =
  'load|error|click|dblclick|mouseover|mouseout|mouseenter|mouseleave|mousemove|mousedown|mouseup|focus|focusin|focusout|blur|' +
  'keydown|keyup|keypress|input|change|submit|reset|select|scroll|wheel|resize|unload|beforeunload|hashchange|message|' +
  'pageshow|pagehide|popstate|toggle|begin|end|repeat|start|finish|bounce|animationstart|animationend|animationiteration|' +
  'transitionend|transitionstart|transitionrun|play|playing|pause|ended|loadstart|loadeddata|loadedmetadata|progress|canplay|' +
  'readystatechange|search|show|touchstart|touchend|touchmove|pointerover|pointerdown|pointerup|pointerenter|pointerleave|' +
  'pointermove|auxclick|contextmenu|copy|cut|paste|drag|dragstart|dragend|dragenter|dragover|drop|afterprint|beforeprint|' +
  'invalid|formchange|forminput|beforeinput|selectstart|selectionchange|volumechange|seeked|seeking|timeupdate|waiting|' +
  'durationchange|emptied|stalled|suspend|abort|online|offline|storage|visibilitychange|webkitanimationstart|content|' +
  'pointerrawupdate|beforetoggle|scrollend|scrollsnapchange|contentvisibilityautostatechange|beforematch|beforecopy|beforecut|' +
  'beforepaste|cuechange|formdata|fullscreenchange|gotpointercapture|lostpointercapture|ratechange|securitypolicyviolation|' +
  'slotchange|webkitanimationend|webkitanimationiteration|webkittransitionend|close|cancel|activate|beforeactivate|' +
  'beforedeactivate|deactivate|mousewheel|animationcancel|transitioncancel|pointercancel|pointerout|afterscriptexecute|' +
  'beforescriptexecute|dragexit|dragleave|dragover|canplaythrough|rowenter|rowexit|propertychange|filterchange|help|layoutcomplete|losecapture|move|moveend|movestart|resizeend|resizestart|datasetchanged|dataavailable|errorupdate';

/**
 * A literal compared with a literal after OR/AND ("or 1=1", "and 'a'='a'") has no place in
 * application queries, so this runs even on values that are whole SQL statements.
 */
export const SQL_TAUTOLOGY_RULES: readonly AttackRule[] = [
  {
    id: 100110, classification: 'SqlInjection', state: 'Exploitation', risk: 75, input: 'sql',
    description: 'SqlAnalyzer: literal tautology',
    pattern: /\b(?:or|and|xor)\s{1,10}(?:\(\s{0,3}){0,3}(?:-?\d{1,10}|'[^'\n]{0,20}'|"[^"\n]{0,20}")\s{0,5}(?:=|\blike\b)\s{0,5}(?:-?\d{1,10}|'[^'\n]{0,20}'|"[^"\n]{0,20}")(?=\s|$|--|#|;|\))/,
  },
];

export const XSS_RULES: readonly AttackRule[] = [
  {
    id: 200101, classification: 'Xss', state: 'Exploitation', risk: 90, input: 'compact',
    description: 'XssAnalyzer: script element',
    pattern: /<script\b|<\/script\s{0,10}>/,
  },
  {
    id: 200102, classification: 'Xss', state: 'Exploitation', risk: 85, input: 'compact',
    description: 'XssAnalyzer: event handler attribute',
    // Browsers skip junk between an attribute name and "=" (`onload!#$%=alert(1)`).
    pattern: new RegExp(String.raw`[\s/"'\x60;]on(?:${EVENT_HANDLERS})[^\w=>]{0,40}=`),
    requires: /<[a-z!/?]|['"\x60]\s{0,10}\/?\s{0,10}on[a-z]{3,40}\s{0,10}=/,
  },
  {
    id: 200110, classification: 'Xss', state: 'Exploitation', risk: 80, input: 'compact',
    description: 'XssAnalyzer: event-handler-like attribute that calls code',
    pattern: /[\s/"'\x60;]on[a-z]{4,40}\s{0,10}=\s{0,10}['"\x60]?\s{0,10}[a-z_$][\w$.]{0,40}\s{0,10}[(\x60]/,
    requires: /<[a-z]/,
  },
  {
    id: 200111, classification: 'Xss', state: 'Exploitation', risk: 70, input: 'compact',
    description: 'XssAnalyzer: meta refresh, link or UTF-7 charset injection',
    pattern: /<meta\b/,
    requires: /http-equiv\s{0,5}=\s{0,5}['"]?\s{0,5}(?:refresh|link|set-cookie)\b|charset\s{0,5}=\s{0,5}['"]?utf-7/,
  },
  {
    id: 200112, classification: 'Xss', state: 'Exploitation', risk: 70, input: 'compact',
    description: 'XssAnalyzer: style element importing or running code',
    pattern: /<style\b/,
    requires: /@import\b|-moz-binding|behavior\s{0,5}:|expression\s{0,5}\(|javascript\s{0,5}:/,
  },
  {
    id: 200113, classification: 'Xss', state: 'Exploitation', risk: 70,
    description: 'XssAnalyzer: markup in UTF-7 or 7-bit-stripped form',
    pattern: /(?:^|[\s+])adw-\s{0,3}\/?(?:script|img|svg|iframe|body|meta|style)\b|\xbc\/?(?:script|img|svg|iframe)\xbe/,
  },
  {
    id: 200114, classification: 'Xss', state: 'Exploitation', risk: 60,
    description: 'XssAnalyzer: JavaScript entity',
    pattern: /&\{\s{0,10}[a-z_$][\w$.]{0,40}\s{0,10}\(/,
  },
  {
    id: 200103, classification: 'Xss', state: 'Exploitation', risk: 85, input: 'compact',
    description: 'XssAnalyzer: script URI',
    pattern: /(?:java|vb|live)script\s{0,10}:\s{0,10}(?:\/\/|\/\*|[\w$.[\]'"]{1,80}\s{0,10}[(`=])/,
  },
  {
    id: 200104, classification: 'Xss', state: 'Exploitation', risk: 75, input: 'compact',
    description: 'XssAnalyzer: active content element',
    pattern: /<(?:iframe|frame|frameset|object|embed|applet|isindex|xss|bgsound|layer|ilayer|import|portal)\b/,
  },
  {
    id: 200105, classification: 'Xss', state: 'Exploitation', risk: 75, input: 'compact',
    description: 'XssAnalyzer: active data URI',
    // Not image/svg+xml: SVG data URIs are everyday icons, and only run script as a document,
    // which the active-element rule catches.
    pattern: /\bdata\s{0,10}:\s{0,10}(?:text\/html|application\/(?:x-)?javascript|text\/javascript)(?:\s{0,10}[;,]|\s{1,10}base64\b)/,
  },
  {
    id: 200106, classification: 'Xss', state: 'Exploitation', risk: 80,
    description: 'XssAnalyzer: JavaScript string break-out',
    pattern:
      /['"`][\s);]{0,5}[-+*/;,|&]{1,2}\s{0,5}(?:alert|prompt|confirm|eval|print|settimeout|setinterval|fetch|document\.write|window\.location)\s{0,5}[(`]|\balert\s{0,5}(?:\(\s{0,5}(?:\d|document|window|top|self|parent)|`)|\b(?:prompt|confirm)\s{0,5}(?:\(\s{0,5}(?:\d|document)|`)/,
  },
  {
    id: 200107, classification: 'Xss', state: 'Exploitation', risk: 70, input: 'compact',
    description: 'XssAnalyzer: CSS script execution',
    pattern: /[:=]\s{0,10}expression\s{0,10}\(|-moz-binding\s{0,10}:|\bbehavior\s{0,10}:\s{0,10}url\s{0,10}\(/,
  },
  {
    id: 200108, classification: 'Xss', state: 'Exploitation', risk: 70,
    description: 'XssAnalyzer: DOM access from injected code',
    pattern: /\bdocument\.(?:cookie|domain|write(?:ln)?\s{0,5}\()|\bwindow\.location\s{0,5}=|\.innerhtml\s{0,5}=|\bstring\.fromcharcode\s{0,5}\(|\beval\s{0,5}\(\s{0,5}(?:atob|unescape|string\.fromcharcode|location|name)\b/,
  },
];

export const TRAVERSAL_RULES: readonly AttackRule[] = [
  {
    id: 300101, classification: 'PathTraversal', state: 'Exploitation', risk: 80,
    description: 'PathAnalyzer: directory traversal sequence',
    pattern: /(?:\.{2,4}[\\/;]{1,3}){2}|(?:^|[\\/=])\.{2,4}[\\/;]{1,3}(?:etc|proc|windows|winnt|boot\.ini|var|usr|root|home|inetpub|web-inf|\.\.)\b/,
  },
  {
    id: 300102, classification: 'PathTraversal', state: 'Exploitation', risk: 85,
    description: 'PathAnalyzer: sensitive system file',
    pattern:
      /\/etc\/(?:passwd|shadow|group|hosts|issue|hostname|motd|crontab|sudoers|fstab|profile|environment)\b|\/proc\/(?:self|\d{1,7})\/(?:environ|cmdline|maps|fd|status|cwd|root|mem)\b|\/proc\/version\b|\/var\/run\/secrets\/|\\windows\\(?:win\.ini|system32)|\/windows\/(?:win\.ini|system32)|\bboot\.ini\b|\bwin\.ini\b|\bweb-inf\/web\.xml\b|\.htpasswd\b|\.ssh\/(?:id_[a-z0-9]{2,10}|authorized_keys)\b|\.aws\/credentials\b|c:\\(?:windows|winnt|inetpub)\b/,
  },
  {
    id: 300103, classification: 'PathTraversal', state: 'Exploitation', risk: 70,
    description: 'PathAnalyzer: local file inclusion wrapper',
    pattern: /(?:^|[\s"'=(])(?:php|zip|phar|expect|glob|compress\.zlib|compress\.bzip2|file|netdoc|jar):\/\/|\bphp:\/\/(?:filter|input|fd)\b/,
  },
  {
    id: 300104, classification: 'PathTraversal', state: 'Exploitation', risk: 60,
    description: 'PathAnalyzer: NUL byte truncation',
    pattern: /\x00/,
  },
  {
    id: 300105, classification: 'PathTraversal', state: 'Exploitation', risk: 80,
    description: 'PathAnalyzer: overlong UTF-8 or look-alike dot/slash',
    // What %c0%ae, %c1%9c, %e0%80%ae, %uff0e, %u2215 and %u2216 decode to (lower-cased).
    pattern: /(?:[\xc0\xe0][\xae\xaf]|\xe0\x80\xae|\uff0e){2}|\.\.(?:[\xc0\xe0]\xaf|[\xc1\xe1][\x9c\x81]|[\u2215\u2216\uff0f\uff3c])/,
  },
];

const UNIX_INFO = 'id|whoami|uname|ifconfig|hostname|pwd|ps|env|printenv|netstat|ipconfig|systeminfo|getuid|lsb_release|ver';
// A backtick only counts as a separator at the start of a value or after a break-out character,
// so Markdown code spans in prose ("run `ls -la`") are not commands.
const SEP = String.raw`(?:[;&|\n\r]|\$\(|(?:^|[=;|&'"(])\x60)[ \t]{0,10}`;

export const COMMAND_RULES: readonly AttackRule[] = [
  {
    id: 400101, classification: 'CommandInjection', state: 'Exploitation', risk: 85,
    description: 'CommandAnalyzer: chained system information command',
    pattern: new RegExp(String.raw`${SEP}(?:\/(?:usr\/)?s?bin\/)?(?:${UNIX_INFO})(?:\s{1,10}[-/][a-z]{1,5})?\s{0,10}(?:$|[;&|\x60#)\n])`),
  },
  {
    id: 400102, classification: 'CommandInjection', state: 'Exploitation', risk: 85,
    description: 'CommandAnalyzer: chained file read or listing',
    pattern: new RegExp(
      String.raw`${SEP}(?:\/bin\/)?(?:(?:cat|more|less|head|tail|nl|tac|strings|type|od|xxd|base64|grep|awk|sed)\s{1,10}(?:-[a-z]{1,5}\s{1,10})?(?:\/|\\|~|\.{1,2}\/|[a-z]:\\|\$|%)|(?:ls|dir)(?:\s{1,10}-[a-z]{1,5})?\s{0,10}(?:$|[;&|\x60#)\n/\\]|\s[/\\~.]|\s[a-z]:\\))`,
    ),
  },
  {
    id: 400103, classification: 'CommandInjection', state: 'Exploitation', risk: 85,
    description: 'CommandAnalyzer: chained network command',
    pattern: new RegExp(
      String.raw`${SEP}(?:ping|nslookup|dig|host|traceroute|tracert|wget|curl|nc|ncat|netcat|telnet|socat|tftp|ssh|scp|lynx)\s{1,10}(?:-{1,2}[a-z]|\d{1,3}\.|[\w-]{1,63}\.[\w-]|https?:|ftp:|\$|\/\/|\[)`,
    ),
  },
  {
    id: 400104, classification: 'CommandInjection', state: 'Exploitation', risk: 85,
    description: 'CommandAnalyzer: chained shell or interpreter',
    pattern: new RegExp(
      String.raw`${SEP}(?:\/bin\/)?(?:bash|sh|zsh|ksh|csh|dash|tcsh|cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh|python[23]?|perl|ruby|php|node|lua)\s{0,10}(?:$|[;&|\x60\n<>]|-{1,2}[a-z]|\/[ck]\b)`,
    ),
  },
  {
    id: 400105, classification: 'CommandInjection', state: 'Exploitation', risk: 80,
    description: 'CommandAnalyzer: chained delay, write or system change',
    pattern: new RegExp(
      String.raw`${SEP}(?:(?:sleep|timeout)\s{1,10}\d{1,5}\s{0,10}(?:$|[;&|\x60#\n)])|rm\s{1,10}-[rf]{1,2}|chmod\s{1,10}[0-7+]|chown\s|kill\s{1,10}-|echo\s[^\n;|&>]{0,200}(?:>|\||$)|touch\s{1,10}\/|mkfifo\s|crontab\s|useradd\s|net\s{1,10}(?:user|localgroup)\b|reg\s{1,10}(?:add|query)\b|certutil\b|bitsadmin\b|wmic\b)`,
    ),
  },
  {
    id: 400106, classification: 'CommandInjection', state: 'Exploitation', risk: 90,
    description: 'CommandAnalyzer: shell evasion or reverse shell',
    pattern:
      /\$\{ifs\b|\$ifs\b|\{(?:cat|ls|id|wget|curl|bash|sh|nc|ping|echo),|\/dev\/(?:tcp|udp)\/|\bbash\s{1,10}-i\b|\bnc(?:at)?\s{1,10}(?:-[a-z]{1,4}\s{1,10}){0,3}-[a-z]{0,3}e\s|\/bin\/(?:ba|z|k|c|da)?sh\b|\bcmd(?:\.exe)?\s{1,10}\/c\b|\bpowershell(?:\.exe)?\s{1,10}-(?:e|enc|encodedcommand|c|command|nop|w)\b/,
  },
];

export const CODE_RULES: readonly AttackRule[] = [
  {
    id: 400107, classification: 'CommandInjection', state: 'Exploitation', risk: 85,
    description: 'CommandAnalyzer: server-side include directive',
    pattern: /<!--\s{0,5}#\s{0,5}(?:exec|include|echo|config|printenv|set|fsize|flastmod)\b/,
  },
  {
    id: 400108, classification: 'CommandInjection', state: 'Exploitation', risk: 90,
    description: 'CommandAnalyzer: PHP code or command execution call',
    pattern:
      /<\?php\b|<\?=\s{0,5}\$|\b(?:system|shell_exec|passthru|exec|popen|proc_open|pcntl_exec|assert)\s{0,5}\(\s{0,5}(?:['"\x60$]|base64_decode|\$_)|\beval\s{0,5}\(\s{0,5}(?:base64_decode|gzinflate|str_rot13|\$_(?:get|post|request|cookie|server))|\b(?:require|include)(?:_once)?\s{0,5}\(?\s{0,5}['"]?(?:https?|ftp|php|data|expect):\/\//,
  },
];

export const SSRF_RULES: readonly AttackRule[] = [
  {
    id: 500101, classification: 'Ssrf', state: 'Exploitation', risk: 80,
    description: 'SsrfAnalyzer: URL scheme used to reach internal services',
    pattern: /^\s{0,5}(?:gopher|dict|ldap|ldaps|tftp|jar|netdoc|file):\/\//,
  },
  {
    id: 500102, classification: 'Ssrf', state: 'Exploitation', risk: 90,
    description: 'SsrfAnalyzer: cloud metadata service',
    pattern:
      /169\.254\.169\.254|169\.254\.170\.2\b|\bmetadata\.google\.internal\b|100\.100\.100\.200|\[?fd00:ec2::254|\bmetadata\.azure\.com\b|\binstance-data(?:\.ec2\.internal)?\b|\/latest\/(?:meta-data|user-data|api\/token)|\/computemetadata\/v1|\/metadata\/(?:instance|identity)\b/,
  },
  {
    id: 500103, classification: 'Ssrf', state: 'Exploitation', risk: 70,
    description: 'SsrfAnalyzer: URL to a loopback, private or obfuscated address',
    pattern:
      /^\s{0,5}(?:https?|ftp|wss?):\/\/(?:[^/?#@\s]{0,200}@)?(?:localhost|127(?:\.\d{1,3}){1,3}|(?:0x[0-9a-f]{1,2}\.){3}0x[0-9a-f]{1,2}|0x7f(?:\.[0-9a-fx]{1,4}){1,3}|0\.0\.0\.0|0|\[[0-9a-f:.]{0,45}\]|10\.\d{1,3}\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}|\d{8,10}|0x[0-9a-f]{1,8}|0[0-7]{3,11}(?:\.[0-7x]{1,11}){0,3}|(?:[\w-]{1,63}\.){0,8}(?:internal|local|localdomain|localtest\.me|nip\.io|xip\.io|sslip\.io))(?:[:/?#]|$)/,
  },
];

/**
 * Only the malformed URL shapes redirect bypasses use: a plain absolute URL in a parameter is
 * everyday traffic (the response-side open_redirect finding judges those).
 */
export const REDIRECT_RULES: readonly AttackRule[] = [
  {
    id: 510101, classification: 'OpenRedirect', state: 'Exploitation', risk: 50,
    description: 'RedirectAnalyzer: malformed absolute URL used to bypass redirect checks',
    pattern: /^\s{0,5}(?:\/\\|\\[\\/]|\/{3,}[a-z0-9]|https?:\/?[a-z0-9]|https?:\\)/,
  },
  {
    id: 510102, classification: 'OpenRedirect', state: 'Exploitation', risk: 50,
    description: 'RedirectAnalyzer: protocol-relative URL followed by an empty or parent segment',
    pattern: /^\s{0,5}\/\/[^/\s]{1,64}\/(?:\/|\.\.)/,
  },
];

export const XXE_RULES: readonly AttackRule[] = [
  {
    id: 600101, classification: 'Xxe', state: 'Exploitation', risk: 90,
    description: 'XxeAnalyzer: external entity declaration',
    pattern: /<!entity\s{1,10}(?:%\s{1,10})?[\w.:-]{1,100}\s{1,10}(?:system|public)\b/,
  },
  {
    id: 600102, classification: 'Xxe', state: 'Exploitation', risk: 75,
    description: 'XxeAnalyzer: document type with external or internal entity subset',
    pattern: /<!doctype\s{1,10}[\w:.-]{1,100}\s{1,10}system\s{1,10}['"]|<!doctype\s{1,10}[\w:.-]{1,100}\s{0,10}\[\s{0,10}<!entity\b/,
  },
  {
    id: 600103, classification: 'Xxe', state: 'Exploitation', risk: 75,
    description: 'XxeAnalyzer: XInclude',
    pattern: /<xi:include\b|xmlns:xi\s{0,5}=\s{0,5}['"]http:\/\/www\.w3\.org\/2001\/xinclude/,
  },
];

export const TEMPLATE_RULES: readonly AttackRule[] = [
  {
    id: 700101, classification: 'TemplateInjection', state: 'Reconnaissance', risk: 70,
    description: 'TemplateAnalyzer: template expression probe',
    pattern:
      /\{\{\s{0,10}\d{1,6}\s{0,10}[*+/-]\s{0,10}['"]?\d{1,6}['"]?\s{0,10}\}\}|[$#*@]\{\s{0,10}\d{1,6}\s{0,10}[*+/]\s{0,10}\d{1,6}\s{0,10}\}|<%=\s{0,10}\d{1,6}\s{0,10}[*+/]\s{0,10}\d{1,6}\s{0,10}%>|@\(\s{0,10}\d{1,6}\s{0,10}[*+/]\s{0,10}\d{1,6}\s{0,10}\)|\{\{\s{0,10}\d{1,6}\s{0,10}\|\s{0,10}(?:multiply|add)\b/,
  },
  {
    id: 700102, classification: 'TemplateInjection', state: 'Exploitation', risk: 90,
    description: 'TemplateAnalyzer: template expression reaching runtime objects',
    pattern:
      /__(?:class|mro|subclasses|globals|builtins|import|init)__|\bgetruntime\s{0,5}\(|\bprocessbuilder\b|\bclass\.forname\b|\.popen\s{0,5}\(|\bos\.system\b|\bsubprocess\b|\bruntime\.exec\b|\bt\s{0,5}\(\s{0,5}java\.|\bnew\s{1,5}java\.|freemarker\.template\.utility|\bconstructor\.constructor\b|\bself\._templateref\b|\b(?:lipsum|cycler|joiner|namespace)\.__|\brequest\.application\b|\bconfig\.items\s{0,5}\(|\burl_for\.__globals|\.constructor\s{0,5}\(\s{0,5}['"]|\bchild_process\b|\.mainmodule\.require\b|\bexecsync\s{0,5}\(/,
    requires: /\{\{|\{%|\$\{|#\{|\*\{|<%|<#/,
  },
  {
    id: 700103, classification: 'TemplateInjection', state: 'Exploitation', risk: 80,
    description: 'TemplateAnalyzer: engine-specific directive',
    pattern: /\{\{\s{0,5}<%|<%\[%['"]|\{\{\s{0,5}(?:config|self|settings|request|session)\s{0,5}\}\}|<#assign\b|<#list\b|\?new\s{0,5}\(\s{0,5}\)|#set\s{0,10}\(\s{0,10}\$|\$class\.inspect|\{php\}|\{\{\s{0,10}_self\.env|\{%\s{0,10}(?:import|debug|load)\b|\{\{\s{0,10}\[?['"][^'"{}]{0,40}['"]\]?\s{0,5}\|\s{0,5}(?:filter|map|reduce|sort)\s{0,5}\(|<%=?\s{0,10}(?:system|exec|eval|spawn|io\.popen|\x60)/,
  },
];

export const LOG4SHELL_RULES: readonly AttackRule[] = [
  {
    id: 800101, classification: 'Log4Shell', state: 'Exploitation', risk: 100, input: 'lookup',
    description: 'Log4jAnalyzer: JNDI lookup (CVE-2021-44228)',
    pattern: /\$\{\s{0,10}jndi\s{0,10}:|\bjndi\s{0,10}:\s{0,10}(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?):\/\//,
  },
  {
    id: 800102, classification: 'Log4Shell', state: 'Reconnaissance', risk: 60, input: 'lookup',
    description: 'Log4jAnalyzer: lookup that leaks environment or system data',
    pattern: /\$\{\s{0,10}(?:env|sys|java|ctx|main|bundle|sd|map|web|docker|k8s|spring|log4j|marker|event|jvmrunargs)\s{0,10}:/,
  },
];

export const NOSQL_RULES: readonly AttackRule[] = [
  {
    id: 900101, classification: 'NoSqlInjection', state: 'Exploitation', risk: 75,
    description: 'NoSqlAnalyzer: query operator in user input',
    pattern: /^\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|function|accumulator)$|\[\s{0,5}\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch)\s{0,5}\]/,
  },
  {
    id: 900102, classification: 'NoSqlInjection', state: 'Exploitation', risk: 75,
    description: 'NoSqlAnalyzer: server-side JavaScript in a query',
    pattern: /\$where\b|['"];\s{0,5}return\s{1,5}(?:true|1|this\.)|\bsleep\s{0,5}\(\s{0,5}\d{3,6}\s{0,5}\)\s{0,5};?\s{0,5}return\b|\bdb\.[\w$]{1,64}\.(?:find|drop|remove|insert)\s{0,5}\(/,
  },
];

export const LDAP_RULES: readonly AttackRule[] = [
  {
    id: 910101, classification: 'LdapInjection', state: 'Exploitation', risk: 70,
    description: 'LdapAnalyzer: filter break-out',
    pattern: /\)\s{0,5}\(\s{0,5}&\s{0,5}\)|\)\s{0,5}\(\s{0,5}\(\s{0,5}[|&]|\*\)\s{0,5}\(\s{0,5}[|&!]|\)\s{0,5}\(\s{0,5}[|&]\s{0,5}\(|\*\)\s{0,5}\(\s{0,5}[\w-]{1,64}\s{0,5}=\s{0,5}\*|\(\s{0,5}[|&]\s{0,5}\(\s{0,5}[\w-]{1,64}\s{0,5}=\s{0,5}\*\s{0,5}\)/,
  },
];

export const XPATH_RULES: readonly AttackRule[] = [
  {
    id: 910201, classification: 'XPathInjection', state: 'Exploitation', risk: 70,
    description: 'XPathAnalyzer: node-set functions or path union after a break-out',
    pattern: /\b(?:count|name|local-name|string-length|substring|contains|starts-with|string)\s{0,5}\(\s{0,5}(?:\/|\.\.?\/|child::|parent::|ancestor::|descendant::|node\s{0,5}\(|text\s{0,5}\(|@\*)|['"]\s{0,5}\]\s{0,5}\|\s{0,5}\/\/|\|\s{0,5}\/\/\*|\/\/\*\s{0,5}\[\s{0,5}(?:@|contains|name|text)|['"]\s{0,5}(?:or|and)\s{1,5}(?:name|local-name|position|last|text)\s{0,5}\(\s{0,5}\)\s{0,5}(?:=|<|>)/,
  },
];

export const CRLF_RULES: readonly AttackRule[] = [
  {
    id: 920101, classification: 'CrlfInjection', state: 'Exploitation', risk: 70,
    description: 'CrlfAnalyzer: header injection / response splitting',
    // U+560A/U+560D: servers that keep only the low byte turn them into LF/CR.
    pattern: /[\r\n\u560a\u560d][ \t]{0,5}(?:set-cookie|location|content-(?:type|length)|x-[\w-]{1,40}|access-control-[\w-]{1,40}|refresh|host|transfer-encoding)\s{0,5}:|[\r\n\u560a\u560d][ \t]{0,5}http\/1\.[01]\s{1,5}\d{3}\b/,
  },
];

export const SCANNER_RULES: readonly AttackRule[] = [
  {
    id: 930101, classification: 'ScannerDetection', state: 'Reconnaissance', risk: 30,
    description: 'ScannerAnalyzer: security scanner user agent',
    pattern:
      /\b(?:sqlmap|nikto|nmap|masscan|zgrab|acunetix|netsparker|nessus|openvas|w3af|wpscan|dirbuster|gobuster|dirb|ffuf|feroxbuster|wfuzz|nuclei|arachni|skipfish|havij|appscan|qualys|jaeles|zmeu|morfeus|commix|xsstrike|dalfox|interactsh|whatweb|wafw00f|fimap|jbrofuzz|paros|webinspect|sqlninja|bsqlbf|pangolin|burpsuite|owasp zap|zaproxy)\b/,
  },
];

/** Matched against the file names of multipart uploads. */
export const UPLOAD_RULES: readonly AttackRule[] = [
  {
    id: 970101, classification: 'MaliciousUpload', state: 'Exploitation', risk: 75,
    description: 'UploadAnalyzer: server-executable file type uploaded',
    pattern: /\.(?:php\d?|phtml|phar|pht|jspx?|jspf|aspx?|asa|cer|ashx|asmx|cshtml|shtml|stm|cgi|pl|war|htaccess)(?:\.|\x00|\s|;|$)/,
  },
];

/** Matched against parameter names and JSON key paths. */
export const PROTOTYPE_POLLUTION_RULES: readonly AttackRule[] = [
  {
    id: 950101, classification: 'PrototypePollution', state: 'Exploitation', risk: 70,
    description: 'PrototypePollutionAnalyzer: __proto__ or constructor.prototype in a parameter name',
    pattern: /__proto__|\bconstructor\s{0,3}(?:\.|\[\s{0,3}['"]?)\s{0,3}prototype\b/,
  },
];

/**
 * Matched against a summary of the request's framing headers, `te=<Transfer-Encoding or ->;cl=<number of Content-Length headers>`.
 */
export const REQUEST_SMUGGLING_RULES: readonly AttackRule[] = [
  {
    id: 960101, classification: 'RequestSmuggling', state: 'Exploitation', risk: 80,
    description: 'SmugglingAnalyzer: both Content-Length and Transfer-Encoding, or several Content-Length values',
    pattern: /^te=(?!-;)[^;]{1,200};cl=[1-9]|;cl=(?:[2-9]|\d{2,4})$/,
  },
  {
    id: 960102, classification: 'RequestSmuggling', state: 'Exploitation', risk: 80,
    description: 'SmugglingAnalyzer: obfuscated Transfer-Encoding',
    pattern: /^te=(?!\s{0,5}chunked\s{0,5};)[^;]{0,200}chunked/,
  },
];

export const FORCED_BROWSING_RULES: readonly AttackRule[] = [
  {
    id: 940101, classification: 'ForcedBrowsing', state: 'Reconnaissance', risk: 40,
    description: 'ForcedBrowsingAnalyzer: request for a secret or backup file',
    pattern:
      /(?:^|\/)(?:\.env(?:\.[\w-]{1,20})?|\.git\/(?:config|head|index|logs\/head)|\.svn\/(?:entries|wc\.db)|\.hg\/\w{1,20}|\.ds_store|\.htpasswd|\.htaccess|\.aws\/credentials|\.ssh\/(?:id_[a-z0-9]{2,10}|authorized_keys)|wp-config\.php(?:\.bak|\.old|~)?|web\.config(?:\.bak)?|phpinfo\.php|server-status|actuator\/(?:env|heapdump|jolokia|gateway\/routes|configprops)|\.bash_history|(?:backup|dump|database|db)\.(?:sql|zip|tar\.gz|tgz|bak)|config\.(?:php|inc|json|ya?ml)\.(?:bak|old|orig|save))$|\.(?:php|jsp|asp|aspx|inc|conf|config|cfg|ini|sql|py|rb|js|html?)(?:\.(?:bak|old|orig|save|swp|tmp|copy|back|backup|1)|~)$/,
  },
];

/** One group per class: a cheap test decides whether its rules run at all. */
export interface RuleGroup {
  readonly name: string;
  readonly prefilter: RegExp;
  readonly rules: readonly AttackRule[];
}

export const VALUE_RULE_GROUPS: readonly RuleGroup[] = [
  { name: 'sql', prefilter: /['"`;#()=|&@<>]|--|\/\*|\bunion\b|\bhaving\b|\b(?:or|and|xor)\s|\border\s/, rules: SQL_RULES },
  { name: 'sql-tautology', prefilter: /\b(?:or|and|xor)\s/, rules: SQL_TAUTOLOGY_RULES },
  { name: 'xss', prefilter: /[<>`]|adw-|script|\bon[a-z]{3,40}\s{0,10}=|expression|binding|behavior|alert|prompt|confirm|eval|data\s{0,10}:|document\.|innerhtml|fromcharcode/, rules: XSS_RULES },
  { name: 'traversal', prefilter: /\.\.|\/etc\/|\/proc\/|\/var\/run|windows|win\.ini|boot\.ini|\x00|:\/\/|\.ht|web-inf|\.ssh|\.aws|c:\\|[\xc0\xc1\xe0\xe1][\x80-\xbf]|[\uff0e\u2215\u2216\uff0f\uff3c]/, rules: TRAVERSAL_RULES },
  { name: 'command', prefilter: /[;&|\n\r`]|\$\(|\$\{?ifs|\/dev\/|\/bin\/|cmd|powershell|bash|\{[a-z]{2,5},/, rules: COMMAND_RULES },
  { name: 'code', prefilter: /<!--|<\?|system|exec|popen|passthru|pcntl|assert|eval|require|include/, rules: CODE_RULES },
  { name: 'ssrf', prefilter: /:\/\/|169\.254|metadata|100\.100\.100\.200|instance-data|fd00:ec2/, rules: SSRF_RULES },
  { name: 'redirect', prefilter: /^\s{0,5}(?:[\/\\]{2}|\/\\|https?:)/, rules: REDIRECT_RULES },
  { name: 'xxe', prefilter: /<!|xi:include|xinclude/, rules: XXE_RULES },
  { name: 'template', prefilter: /\{\{|\{%|[$#*@]\{|<%|<#|@\(|#set|\{php\}/, rules: TEMPLATE_RULES },
  { name: 'log4shell', prefilter: /\$\{|jndi/, rules: LOG4SHELL_RULES },
  { name: 'nosql', prefilter: /\$|db\.|return/, rules: NOSQL_RULES },
  { name: 'ldap', prefilter: /\)\s{0,5}\(|\*\)/, rules: LDAP_RULES },
  { name: 'xpath', prefilter: /\(|\/\//, rules: XPATH_RULES },
  { name: 'crlf', prefilter: /[\r\n\u560a\u560d]/, rules: CRLF_RULES },
];

export const ALL_ATTACK_RULES: readonly AttackRule[] = [
  ...SQL_RULES,
  ...SQL_TAUTOLOGY_RULES,
  ...XSS_RULES,
  ...TRAVERSAL_RULES,
  ...COMMAND_RULES,
  ...CODE_RULES,
  ...SSRF_RULES,
  ...REDIRECT_RULES,
  ...XXE_RULES,
  ...TEMPLATE_RULES,
  ...LOG4SHELL_RULES,
  ...NOSQL_RULES,
  ...LDAP_RULES,
  ...XPATH_RULES,
  ...CRLF_RULES,
  ...SCANNER_RULES,
  ...PROTOTYPE_POLLUTION_RULES,
  ...UPLOAD_RULES,
  ...REQUEST_SMUGGLING_RULES,
  ...FORCED_BROWSING_RULES,
];
