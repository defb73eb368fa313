/**
 * OS command injection: chained commands, shell evasion, reverse shells, server-side includes.
 */
import type { RulePack } from '../types';
import { DISTINCTIVE_COMMANDS, shellCommands, type ShellCommand } from '../shell';
import { judgeHost } from '../address';
import { isOpaqueToken } from '../opaque-token';
import { isDocumentLayout, isWrittenOutDocument } from '../prose';
import type { InspectedValue } from '../value';
import { matchRegexRules, matchRegexRulesOnText, type RegexRule } from './regex-rule';
import type { ReportRule, Rule } from '../types';

const UNIX_INFO = 'id|whoami|uname|ifconfig|hostname|pwd|ps|env|printenv|netstat|ipconfig|systeminfo|getuid|lsb_release|ver';
/**
 * What a command follows: a separator, a substitution's opening, or a backtick after the value's
 * first token (`` example.org`id` ``: the host the form asked for, glued to a substitution).
 */
const SEP = String.raw`(?:[;&|\n\r]|\$\(|(?:^[\w.:/@-]{0,100}|[=;|&'"(])\x60)[ \t]{0,10}`;

/**
 * Also reported for a command word the shell grammar resolves from bracket sets (`/b[i]n/c[a]t`), which
 * the pattern does not spell out.
 */
const GLOB_COMMAND_PATH: RegexRule = {
  id: 400119,
  classification: 'CommandInjection',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description: 'CommandAnalyzer: command path spelled with glob wildcards',
  // Globs standing in for both a directory and a command (`/???/??t`, `/b??/c*t`), or for the
  // command in a binary directory (`/usr/bin/w?oami`, `/bin/ca? /etc/pa??wd`). `/**/*` is a pattern, not a path.
  pattern:
    /(?:^|[\s;&|`(])\/(?:[a-z]{0,8}\?[a-z?]{0,8}\/[a-z]{0,12}[?*][a-z?*]{0,12}|(?:usr\/)?(?:local\/)?s?bin\/[a-z]{0,12}[?*][a-z?*]{0,12})(?:$|[\s;&|`)])/,
};

/** Also reported for cmd's variable substrings (`%COMSPEC:~-7,3%`), which need the value before full decoding (below). */
const EVASIVE_EXPANSION: RegexRule = {
  id: 400118,
  classification: 'CommandInjection',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description: 'CommandAnalyzer: shell expansion only an evasion uses',
  pattern: new RegExp(
    [
      // Arithmetic expansion as a probe (`echo $((1337+1))`), commix style, and expr's (`|expr 91 + 27`)
      String.raw`\$\(\( {0,3}[\w$]{1,12} {0,3}[-+*/%^] {0,3}[\w$]{1,12} {0,3}\)\)`,
      String.raw`(?:[;&|\n\x60]|\$\()\s{0,5}expr\s{1,5}\d{1,9}\s{1,5}[-+*/%]\s{1,5}\d{1,9}\s{0,5}(?:$|[;&|\n\x60)#])`,
      // Substring of a variable standing in for a character (`${PATH:0:1}` is `/`)
      String.raw`\$\{[a-z_][a-z0-9_]{0,30}:-?\d{1,3}:\d{1,3}\}`,
      // ANSI-C quoted bytes (`$'\x69\x64'` is `id`)
      String.raw`\$'\\(?:x[0-9a-f]{2}|[0-7]{3}|u[0-9a-f]{4})\\(?:x[0-9a-f]{2}|[0-7]{3}|u[0-9a-f]{4})`,
      // cmd's command interpreter through its variable (`%COMSPEC% /c dir`)
      String.raw`%comspec%\s{0,5}\/[ck]\b`,
    ].join('|'),
  ),
};

/** 400106's shell evasions and reverse shells: what no script or document needs to spell that way. */
const REVERSE_SHELL_OR_EVASION =
  /\$\{ifs\b|(?<=\S)\$ifs\b|\$ifs(?=[^\s\w])|\{(?:cat|ls|id|wget|curl|bash|sh|nc|ping|echo),|\/dev\/(?:tcp|udp)\/|\bbash\s{1,10}-i\b|\bnc(?:at)?(?:\.exe)?\s{1,10}(?:-[a-z]{1,4}\s{1,10}){0,3}-[a-z]{0,3}e\s|\bsocat\s[^\n;&|]{0,120}\b(?:exec|system):/;
/** 400106's shell launches (`/bin/sh`, `cmd /c`, `powershell -enc`): in a value, a payload's; in a script or post, its subject. */
const SHELL_LAUNCH = String.raw`\/bin\/(?:ba|z|k|c|da)?sh\b|\bcmd(?:\.exe)?\s{1,10}\/c\b|\bpowershell(?:\.exe)?\s{1,10}-(?:e|enc|encodedcommand|c|command|nop|w)\b`;

export const CMDI_RULES: readonly RegexRule[] = [
  {
    id: 400101,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: chained system information command',
    pattern: new RegExp(String.raw`${SEP}(?:\/(?:usr\/)?s?bin\/)?(?:${UNIX_INFO})(?:\s{1,10}[-/][a-z]{1,5})?\s{0,10}(?:$|[;&|\x60#)\n])`),
  },
  {
    id: 400102,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: chained file read or listing',
    pattern: new RegExp(
      String.raw`${SEP}(?:\/bin\/)?(?:(?:cat|more|less|head|tail|nl|tac|strings|type|od|xxd|base64|grep|awk|sed)\s{1,10}(?:-[a-z]{1,5}\s{1,10})?(?:\/|\\|~|\.{1,2}\/|[a-z]:\\|\$|%)|(?:ls|dir)(?:\s{1,10}-[a-z]{1,5})?\s{0,10}(?:$|[;&|\x60#)\n/\\]|\s[/\\~.]|\s[a-z]:\\))`,
    ),
  },
  {
    id: 400103,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: chained network command',
    // Its target: an option, an address (a whole IPv4 one, or loopback's short form), a host name,
    // a URL or a variable; not a version (`; cURL 8.5.0` in a User-Agent's comment).
    pattern: new RegExp(
      String.raw`${SEP}(?:ping|nslookup|dig|host|traceroute|tracert|wget|curl|nc|ncat|netcat|telnet|socat|tftp|ssh|scp|lynx)\s{1,10}(?:-{1,2}[a-z]|\d{1,3}(?:\.\d{1,3}){3}\b|127\.\d|[\w-]{1,63}\.[a-z_-]|https?:|ftp:|\$|\/\/|\[)`,
    ),
  },
  {
    id: 400104,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: chained shell or interpreter',
    // An option is a word of its own: `node-exporter` (a PromQL alternative `kubelet|node-exporter`) is another program.
    pattern: new RegExp(
      String.raw`${SEP}(?:\/bin\/)?(?:bash|sh|zsh|ksh|csh|dash|tcsh|cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh|python[23]?|perl|ruby|php|node|lua)(?:\s{0,10}(?:$|[;&|\x60\n<>]|\/[ck]\b)|\s{1,10}-{1,2}[a-z])`,
    ),
  },
  {
    id: 400105,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: chained delay, write or system change',
    pattern: new RegExp(
      String.raw`${SEP}(?:(?:sleep|timeout)\s{1,10}\d{1,5}\s{0,10}(?:$|[;&|\x60#\n)])|rm\s{1,10}-[rf]{1,2}|chmod\s{1,10}[0-7+]|chown\s|kill\s{1,10}-|echo\s[^\n;|&>]{0,200}(?:>|\||$)|touch\s{1,10}\/|mkfifo\s|crontab\s|useradd\s|net\s{1,10}(?:user|localgroup)\b|reg\s{1,10}(?:add|query)\b|certutil\b|bitsadmin\b|wmic\b)`,
    ),
  },
  {
    id: 400106,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: shell evasion or reverse shell',
    // `$IFS` glued to what it separates (`cat$IFS/etc/passwd`, `$IFS$9`); between spaces it is a word
    // in a question about the shell.
    pattern: new RegExp(`${REVERSE_SHELL_OR_EVASION.source}|${SHELL_LAUNCH}`),
    needs: ['ifs', '{', '/dev/', 'bash', 'nc', 'socat', '/bin/', 'cmd', 'powershell'],
  },
  {
    id: 400107,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: server-side include directive',
    pattern: /<!--\s{0,5}#\s{0,5}(?:exec|include|echo|config|printenv|set|fsize|flastmod)\b/,
  },
  {
    id: 400117,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: PowerShell download cradle or expression invocation',
    // `IEX (New-Object Net.WebClient).DownloadString(...)`, `iwr http://... | iex`, `[Convert]::FromBase64String(...)`.
    pattern:
      /\b(?:iex|invoke-expression)\s{0,5}(?:\(\s{0,5}){0,2}(?:new-object\b|\[[a-z]|\$[a-z({]|['"\x60]|iwr\b|invoke-)|new-object\s{1,5}\(?\s{0,3}['"]?(?:system\.)?net\.(?:webclient|sockets\.tcpclient)\b|\.\(?\s{0,3}['"]?download(?:string|file|data)['"]?\s{0,3}\)?\s{0,5}\(\s{0,5}['"(]|\b(?:invoke-webrequest|invoke-restmethod|start-bitstransfer)\s{1,5}(?:-uri\s{1,5})?['"]?(?:https?:|\\\\)|\[(?:system\.)?convert\]::frombase64string\s{0,5}\(|\|\s{0,5}(?:iex|invoke-expression)\b|\$\(\s{0,5}\[(?:system\.)?(?:net\.[a-z.]{2,40}|io\.file|diagnostics\.process)\]\s{0,3}::\s{0,3}[a-z]/,
    needs: ['iex', 'invoke-', 'new-object', 'download', 'start-bitstransfer', 'frombase64string', '$('],
  },
  EVASIVE_EXPANSION,
  GLOB_COMMAND_PATH,
  {
    id: 400121,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: PowerShell command invoked by a computed name or through .NET',
    // The call and dot-source operators run whatever their operand evaluates to: a name pieced
    // together from strings (`&('i'+'ex')`), characters of a variable (`.($env:ComSpec[4,15,25]-join'')`),
    // a format string (`&("{1}{0}"-f'ex','i')`), a command looked up by wildcard (`&(gcm *ke-Ex*)`),
    // a script block built from text. .NET and WMI entry points start a process or a script
    // without any cmdlet name.
    pattern: new RegExp(
      [
        String.raw`(?:^|[;&|({\n]|\s)[&.]\s{0,5}\(\s{0,5}(?:\(\s{0,5})?(?:['"][^'"\n]{0,40}['"]\s{0,5}(?:\+|-f\b|-join\b|-replace\b)|\$[a-z_][\w:]{0,40}\s{0,5}(?:\[\s{0,5}-?\d|\+|\.(?:replace|substring|split)\b)|\[(?:char|string|scriptblock|system\.)|(?:gcm|get-command|get-alias|gal|gci|get-childitem|get-item|gi|get-variable|gv|ls|dir)\s)`,
        String.raw`\[scriptblock\]::create\s{0,5}\(`,
        String.raw`\[(?:system\.)?diagnostics\.process(?:startinfo)?\]::(?:start\s{0,5}\(|new\b)`,
        String.raw`\$executioncontext\.invokecommand\.(?:invokescript|newscriptblock|expandstring)\s{0,5}\(`,
        String.raw`\[powershell\]::create\s{0,5}\(\s{0,5}\)\s{0,5}\.addscript\s{0,5}\(`,
        String.raw`\[wmiclass\]\s{0,5}['"][^'"\n]{0,60}win32_process['"]`,
        String.raw`\b(?:invoke-wmimethod|iwmi|invoke-cimmethod)\b[^\n;|&]{0,100}\bwin32_process\b`,
        String.raw`new-object\s{1,5}-com(?:object)?\s{1,5}['"]?(?:wscript\.shell|shell\.application|mmc20\.application)`,
        String.raw`\b(?:sal|set-alias|nal|new-alias)\s{1,5}(?:-name\s{1,5})?['"]?[\w-]{1,30}['"]?\s{1,5}(?:-value\s{1,5})?['"]?(?:iex|invoke-expression|invoke-command|icm|start-process|saps)\b`,
      ].join('|'),
    ),
  },
  {
    id: 400122,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: command produced by a decoding substitution',
    // A substitution where a command goes runs its output as the command: the name is hidden in
    // escapes, base64, hex, reversed or rotated text (`;$(printf '\x69\x64')`,
    // `;$(tr 'a-z' 'n-za-m' <<< 'jubnzv')`, `` ;`echo aWQ= | base64 -d` ``). jQuery's `$('...')`
    // and `$(this)` hold no bare tool name followed by a space.
    form: 'shell',
    pattern:
      /(?:[;&|\n({]|\b(?:eval|exec|then|do|else)\s)\s{0,5}["']?(?:\$\(|`)\s{0,5}(?:printf\s|echo\s|print\s|tr\s|rev\b|base(?:64|32)\s|basenc\s|xxd\s|openssl\s|gunzip\b|zcat\b|bzcat\b|xzcat\b|iconv\s|perl\s|python[23]?\s|ruby\s|awk\s|sed\s|cut\s)/,
    needs: ['$(', '`'],
  },
  {
    id: 400125,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: Node.js code starting a process (child_process, process.mainModule.require) where a server evaluates input',
    // What an eval()'d filter or sort expression runs on a Node server: the module that spawns
    // processes, reached by name or through the main module when require is out of scope, or a
    // synchronous spawn called with a command string, or code decoded from base64 and evaluated.
    // Documentation names the module without a call; a parameter that is the module's name alone
    // is what a `require(name)` plugin loader is given.
    pattern:
      /^\s{0,3}(?:node:)?child_process\s{0,3}$|\beval\s{0,5}\(\s{0,5}buffer\s{0,5}\.\s{0,5}from\s{0,5}\(|\.\s{0,5}mainmodule\s{0,5}\.\s{0,5}require\s{0,5}\(|require\s{0,5}\(\s{0,5}['"\x60]child_process['"\x60]\s{0,5}\)\s{0,5}\.\s{0,5}(?:exec|execsync|execfile|execfilesync|spawn|spawnsync|fork)\s{0,5}\(|\b(?:execsync|spawnsync|execfilesync)\s{0,5}\(\s{0,5}['"\x60]/,
    needs: ['child_process', 'buffer', 'mainmodule', 'sync'],
  },
  {
    id: 400130,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: classic ASP code writing a computed product into the page (`response.write(9766788*9103614)`: a code-evaluation probe)',
    // A page that Execute()s or Eval()s input runs this; the product of two numbers nobody types
    // shows in the response when it did. ASP pasted in a post writes strings and variables.
    pattern: /\bresponse\s{0,3}\.\s{0,3}write\s{0,3}\(\s{0,3}\d{1,12}\s{0,3}[*+]\s{0,3}\d{1,12}\s{0,3}\)/,
    needs: ['write'],
  },
  {
    id: 400129,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description:
      "CommandAnalyzer: Python code importing a process or shell module and calling it (__import__('subprocess').check_output(...)), or walking from an object to every loaded class to find one (().__class__.__bases__[0].__subclasses__())",
    // What an eval()'d Python expression runs: `__import__` of the modules that start processes or
    // open shells, then a call on it. Documentation writes `import subprocess`, not the builtin.
    // `__import__('time').sleep(12)` is the blind probe of the same injection. Where builtins are
    // taken away (a sandbox, a restricted eval), code climbs from any object to `object` and lists
    // its subclasses to reach Popen or a loader: no program does that but a sandbox escape.
    pattern:
      /\b__import__\s{0,5}\(\s{0,5}['"](?:(?:os|subprocess|pty|commands|popen2|platform)['"]\s{0,5}\)\s{0,5}\.\s{0,5}[a-z_]{2,20}|time['"]\s{0,5}\)\s{0,5}\.\s{0,5}sleep)\s{0,5}\(|__(?:class|base|bases|mro)__(?:\s{0,5}\[\s{0,5}-?\d{1,3}\s{0,5}\]|\s{0,5}\.\s{0,5}__(?:base|bases|mro)__){0,3}\s{0,5}\.\s{0,5}__subclasses__\s{0,5}\(/,
  },
  {
    id: 400132,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description:
      "CommandAnalyzer: code of another server language starting a process where a server evaluates input (Elixir's System.cmd, Erlang's os:cmd, Lua's os.execute and io.popen, Scala's sys.process, Deno and Bun spawns, Python's __import__ of a computed name)",
    // What an evaluated formula, rule or filter runs in each runtime: a call with a command
    // string, or the import that gives Scala strings their `!` (run) operator. A module name built
    // with chr() or joined strings (`__import__(chr(111)+chr(115))`) is hidden on purpose.
    pattern:
      /\bsystem\s{0,3}\.\s{0,3}(?:cmd|shell)\s{0,3}\(\s{0,3}['"]|(?:^|[^\w.]):?os\s{0,3}[:.]\s{0,3}cmd\s{0,3}\(\s{0,3}['"]|\bos\s{0,3}\.\s{0,3}execute\s{0,3}\(\s{0,3}['"[]|\bio\s{0,3}\.\s{0,3}popen\s{0,3}\(\s{0,3}['"[]|\bscala\.sys\.process\b|\bsys\.process\._|\b(?:deno\s{0,3}\.\s{0,3}run|new\s{1,5}deno\s{0,3}\.\s{0,3}command|bun\s{0,3}\.\s{0,3}spawn(?:sync)?)\s{0,3}\(|\b__import__\s{0,3}\(\s{0,3}(?:chr\s{0,3}\(|['"][\w.]{0,20}['"]\s{0,3}\+)/,
    needs: ['system', 'cmd', 'execute', 'popen', 'sys.process', 'deno', 'bun', '__import__'],
  },
  {
    id: 400131,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description:
      'CommandAnalyzer: LaTeX shell escape (`\\immediate\\write18{...}`): a certificate, invoice or report rendered by a TeX engine that allows it runs the command',
    // Stream 18 is TeX's shell: no document text writes to it but one that runs a program.
    pattern: /\\(?:immediate\s{0,5}\\)?write18\s{0,5}\{/,
  },
  {
    id: 400128,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: Perl code running a command where a server interpolates or evaluates input (`@{[system ...]}`, `${\\ qx{...}}`, readpipe)',
    // A Perl string interpolates the result of code in `@{[ ... ]}` and `${\ ... }`: a CGI script
    // or template that puts input in such a string runs it. qx// with a delimiter glued to it and
    // readpipe() run a command; prose spells neither.
    pattern:
      /@\{\s{0,5}\[\s{0,5}(?:system|exec|qx|readpipe|eval|open|`)|\$\{\s{0,5}\\\s{0,5}(?:system|exec|qx|readpipe|eval|`)|\bqx\s{0,3}[{[(/|!]\s{0,5}(?:id|whoami|uname|cat|ls|wget|curl|nc|bash|sh|perl|echo|rm|ping)\b|\breadpipe\s{0,5}\(\s{0,5}['"]/,
  },
  {
    id: 400123,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: option injection into a command the application runs',
    // A value that is (or follows its one expected word with) options of the command it is handed
    // to: options that run a program (git --upload-pack, tar --checkpoint-action / --to-command,
    // find -exec, rsync -e, ssh -o ProxyCommand, zip -TT, git -c core.sshCommand, git's ext::
    // transport) or read and write files (curl/wget -o, -T, -d @file, --post-file, sendmail -X, -C,
    // -oQ). The leading
    // word must look like an argument (a host, path, URL or number; or at most two characters):
    // prose that names an option (`use -o /tmp/out`, `find -exec explained`) is documentation.
    // An SSH URL whose host starts with a dash (`ssh://-oProxyCommand=...`) hands ssh an option
    // through git, svn or hg: no host name starts with one.
    pattern: new RegExp(
      String.raw`^[\s'"]{0,3}(?:ext::\s{0,3}[^\s]|(?:[a-z]{1,5}\+)?ssh:\/\/-{1,2}[a-z]|(?:(?:[a-z0-9_]{1,2}|[^\s'"-][^\s./:@\\\d]{0,100}[./:@\\\d][^\s]{0,200})\s{1,5})?(?:-[^\s]{1,100}\s{1,5}){0,3}-{1,2}(?:` +
        [
          String.raw`(?:upload-pack|receive-pack|to-command|use-compress-program|rsh-command|rsync-path|unzip-command|info-script|new-volume-script|checkpoint-action|open-files-in-pager|gpu-launcher|renderer-cmd-prefix|utility-cmd-prefix|browser-subprocess-path|use-askpass|exec)=['"]?[^\s'"]`,
          String.raw`(?:upload-pack|receive-pack|to-command|use-compress-program|rsh-command|rsh|rsync-path|unzip-command|info-script|new-volume-script|checkpoint-action|exec|execdir|ok|okdir|u|e|tt|z)(?:=|\s{0,5})['"]?(?:(?:\/[\w.-]{1,40}){1,5}(?:$|\s)|(?:(?:\/[\w.-]{1,40}){0,4}\/)?(?:sh|bash|zsh|dash|ksh|csh|python[23]?|perl|ruby|php|node|nc|ncat|netcat|socat|curl|wget|touch|id|whoami|uname|cat|rm|cp|mv|chmod|chown|echo|printf|busybox|cmd|powershell|pwsh|tee|dd|xargs|env|ping|nslookup)\b)`,
          String.raw`(?:exec|execdir|ok|okdir)\s[^\n]{0,200}(?:\s\\?;|\{\}\s{0,3}\+)\s{0,3}$`,
          String.raw`o\s{0,5}['"]?(?:proxycommand|localcommand|permitlocalcommand)\s{0,3}=`,
          String.raw`(?:c|config)(?:=|\s{1,5})['"]?(?:core\.(?:sshcommand|pager|editor|fsmonitor|hookspath|gitproxy|askpass)|protocol\.[a-z]{1,10}\.allow|credential\.helper|(?:diff|filter|merge)\.[\w.-]{1,40}\.(?:command|textconv|clean|smudge|process|driver)|uploadpack\.packobjectshook|sequence\.editor|gpg\.program)\s{0,3}=`,
          String.raw`(?:o|output|output-document|output-file|append-output|fprintf?|fprint0|fls|t|upload-file|post-file|body-file)(?:=|\s{0,5})['"]?(?:\/|~\/|\.{1,2}\/|[a-z]:[\\/])`,
          String.raw`(?:o|output|output-document)(?:=|\s{0,5})['"]?[\w./-]{1,100}\.(?:php\d?|phtml|phar|jspx?|aspx?|ashx|cgi|pl|py|sh|exe|ps1|war)['"]?(?:\s|$)`,
          String.raw`(?:d|data(?:-binary|-raw|-urlencode|-ascii)?|f|form)(?:=|\s{0,5})['"]?(?:[\w-]{1,30}=)?@(?:\/|~\/|\.{1,2}\/)`,
          String.raw`(?:e|execute)(?:=|\s{1,5})['"]?[a-z_]{2,30}\s{0,3}=`,
          String.raw`x\s{0,5}\/`,
          // sendmail's own configuration file or queue directory (an address followed by `-C/tmp/x.cf`, `-oQ/tmp/`).
          String.raw`(?:c|oq)\s{0,5}['"]?\/`,
        ].join('|') +
        '))',
    ),
  },
];

/** The rules that read the lower-cased value (the others read a form of their own). */
const LOWER_CASE_RULES = CMDI_RULES.filter((rule) => (rule.form ?? 'lower') === 'lower');

/** Rules that read the value as shell input (../shell) rather than match a pattern. */
export const SHELL_GRAMMAR_RULES = {
  chained: {
    id: 400111,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: command after a shell separator or inside a substitution',
  },
  chainedWord: {
    id: 400112,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: file or system command with command-line arguments after a shell separator',
  },
  bare: {
    id: 400113,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'medium',
    description: 'CommandAnalyzer: value that is a command line',
  },
  bareOnSystem: {
    id: 400115,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: value that is a command line on system locations or remote addresses',
  },
  environment: {
    id: 400116,
    classification: 'CommandInjection',
    state: 'Reconnaissance',
    risk: 50,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: value that is a reference to a shell environment variable',
  },
  webShellCall: {
    id: 400124,
    classification: 'CommandInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'CommandAnalyzer: reconnaissance command as the whole value of a command parameter (a web shell run: `cmd=id`)',
  },
  bareName: {
    id: 400114,
    classification: 'CommandInjection',
    state: 'Reconnaissance',
    risk: 50,
    severity: 'error',
    confidence: 'medium',
    description: 'CommandAnalyzer: value that is the name of a reconnaissance command',
  },
} as const satisfies Record<string, Rule>;

/**
 * Parameter names web shells and backdoors read their command from (`shell.jsp?cmd=id`,
 * `?exec=whoami`). An application's own `cmd` parameter names actions (`cmd=list`), not these.
 */
const COMMAND_PARAMETER = /^(?:cmd|command|exec|execute|shell|cmdline)$/;
/** Probe commands a web shell is first called with, alone or with their options (`uname -a`, `ls -la`). */
const WEB_SHELL_PROBES: ReadonlySet<string> = new Set([
  'id',
  'whoami',
  'uname',
  'pwd',
  'ls',
  'ifconfig',
  'ipconfig',
  'netstat',
  'ps',
  'hostname',
  'systeminfo',
  'tasklist',
  'printenv',
  'lsb_release',
]);
const OPTIONS_ONLY = /^(?:\s{1,3}[-/][a-z]{1,6}){0,3}\s{0,3}$/;

/** Commands whose bare name is itself a probe ("whoami" as a parameter value). */
const BARE_PROBES: ReadonlySet<string> = new Set(['whoami', 'uname', 'ifconfig', 'ipconfig', 'netstat', 'systeminfo', 'printenv', 'tasklist', 'lsb_release']);

/** Arguments that point at the system or out of it: a drive root, system directories, a URL, an address. */
const SYSTEM_TARGET =
  /(?:^|\s)(?:[a-z]:[\\/]|\/(?:etc|bin|sbin|usr|dev|proc|tmp|var|root|home|windows|boot)\b|(?:https?|ftp|tftp):\/\/|\d{1,3}(?:\.\d{1,3}){3}\b)|[|>]\s{0,3}(?:ba|z|k|da)?sh\b/;
/**
 * Fetchers are what API documentation shows (`curl -X POST https://api.example.com/v1/orders`): a
 * URL alone does not aim them out of the application. They do when they pull a script or binary,
 * from a bare address, into a shell, or onto system locations.
 */
const FETCHERS: ReadonlySet<string> = new Set(['curl', 'wget', 'lynx', 'fetch', 'iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod']);
const FETCH_TARGET =
  /(?:^|\s)(?:[a-z]:[\\/]|\/(?:etc|bin|sbin|usr|dev|proc|tmp|var|root|home|windows|boot)\b|\d{1,3}(?:\.\d{1,3}){3}\b)|(?:https?|ftp|tftp):\/\/(?:\d{1,3}(?:\.\d{1,3}){3}\b|\[)|\.(?:sh|bash|php\d?|phtml|pl|py|rb|ps1|psm1|bat|cmd|vbs|hta|exe|dll|elf|bin|so|jsp|aspx?)(?=$|[\s?#'"])|[|>]\s{0,3}(?:ba|z|k|da)?sh\b/;

function aimsAtSystem(command: ShellCommand): boolean {
  return (FETCHERS.has(command.name) ? FETCH_TARGET : SYSTEM_TARGET).test(command.args);
}

/** A whole value that names a shell variable a probe would print (`$HOME`, `${PATH}`, `%COMSPEC%`, Perl's `$ENV{'HOME'}`). */
const ENVIRONMENT_PROBE =
  /^\s{0,3}(?:\$\{?(?:home|path|shell|pwd|ifs|bash_version|logname)\}?|\$env\{\s{0,3}['"]?[a-z_]{1,20}['"]?\s{0,3}\}|\$env:[a-z_]{2,20}|%(?:comspec|systemroot|windir|username|userprofile|computername|path|temp|appdata|programfiles|homepath|os)%)\s{0,3}$/;

/**
 * An everyday-word command fed by a pipe (`| sort -count | head 20` in a log search) or opening a
 * line of a multi-line text (a SQL `JOIN c ON c.id = …` clause): it filters text and reads the
 * system only when given a file or address (`| head /etc/passwd`).
 */
function filtersText(command: ShellCommand, shell: string): boolean {
  if (command.separator === '|') return true;
  return (command.separator === '\n' || command.separator === '\r') && isDocumentLayout(shell);
}

function inspectShellGrammar(value: InspectedValue, report: (rule: Rule) => void): void {
  if (ENVIRONMENT_PROBE.test(value.lower)) report(SHELL_GRAMMAR_RULES.environment);
  // Random-token blobs (bot-detection sensor data) are full of separators and short words; a
  // token's base64 reading, if it is text, is inspected as a value of its own.
  if (value.noisy || isOpaqueToken(value.decoded)) return;
  const commands = shellCommands(value.shell);
  for (const command of commands) {
    // Nobody writes a command's path as a pattern but to get it past a filter.
    if (command.globbed) report(GLOB_COMMAND_PATH);
    if (command.start === 'value-start') {
      if (WEB_SHELL_PROBES.has(command.name) && COMMAND_PARAMETER.test(value.lowerName) && OPTIONS_ONLY.test(command.args))
        report(SHELL_GRAMMAR_RULES.webShellCall);
      if (command.distinctive && command.commandArgs) report(aimsAtSystem(command) ? SHELL_GRAMMAR_RULES.bareOnSystem : SHELL_GRAMMAR_RULES.bare);
      else if (BARE_PROBES.has(command.name) && command.args.trim().length === 0) report(SHELL_GRAMMAR_RULES.bareName);
    } else if (command.distinctive && (command.commandArgs || (command.endsCleanly && command.probe))) report(SHELL_GRAMMAR_RULES.chained);
    else if (!command.distinctive && command.commandArgs && (!filtersText(command, value.shell) || aimsAtSystem(command)))
      report(SHELL_GRAMMAR_RULES.chainedWord);
  }
}

const FIRST_WORD = /^[\s+(]{0,5}(?:[a-z]:)?(?:[\\/][\w.\\/-]{0,40}[\\/])?([a-z][a-z0-9_.-]{0,30})/;

/** A value that starts with a command name (possibly with its path) may be a bare command line. */
function startsWithCommand(lower: string): boolean {
  const m = FIRST_WORD.exec(lower);
  if (!m) return false;
  const name = m[1].endsWith('.exe') ? m[1].slice(0, -4) : m[1];
  return DISTINCTIVE_COMMANDS.has(name);
}

/**
 * Shell syntax and command words any rule needs (and OPTIONS_LEAD); PowerShell's dot-source,
 * `[type]::` calls and WMI process class; cmd's variable substrings.
 */
const PREFILTER =
  /^[\s'"]{0,3}ext::|child_process|\.\s{0,5}\(|\]::|-com|win32_process|:~|[;&|\n\r`]|\$|%[a-z]{2,12}%|\$\{?ifs|\/dev\/|\/bin\/|cmd|powershell|bash|\{[a-z]{2,5},|<!--|<\?|system|exec|popen|passthru|pcntl|assert|eval|require|include|iex|invoke-|new-object|download|frombase64|bitstransfer|\bnc(?:at)?\s{1,10}-|\/[a-z?*]{0,8}\?[a-z?*]{0,8}\/|bin\/[a-z]{0,12}[?*]|\/[a-z]{0,3}\[[a-z!^]|\bqx\s{0,3}[{[(/|!]|readpipe|@\{\s{0,5}\[|response\s{0,3}\.\s{0,3}write/;

/**
 * A substitution that runs printf on escapes (`name$(printf '\x69\x64')`), anywhere in a value:
 * decoding and the shell form drop the backslashes 400122 would see, and no text but a probe or a hidden
 * command spells letters as escapes inside `$(…)` or backticks.
 */
const PRINTF_ESCAPES_SUBSTITUTION = /(?:\$\(|`)\s{0,5}printf\s{1,5}["']?(?:\\x[0-9a-f]{2}|\\[0-7]{3}){2}/;
const DECODING_SUBSTITUTION = CMDI_RULES.find((rule) => rule.id === 400122)!;

/** A value that opens with options, or with one word and then options (argument injection). */
const OPTIONS_LEAD = /^[\s'"]{0,3}(?:[^\s-][^\s]{0,310}\s{1,5})?-/;

/**
 * cmd's substring of a variable (`%COMSPEC:~-7,3%` is `cmd`, `%CommonProgramFiles:~10,-18%` a
 * space) where a command is spelled: after a separator, or joined to a word or to another slice.
 * A batch line that only reads one (`set d=%date:~-4,4%`) is not counted. Read on the value as
 * its placement delivers it too: full decoding reads `%12` in `%127.0.0.1` as a byte.
 */
const CMD_SLICE =
  /(?:^|[&|(]\s{0,5}|[a-z0-9]|%)%[a-z_][a-z0-9_()]{0,40}:~\s{0,3}-?\d{1,4}(?:\s{0,3},\s{0,3}-?\d{1,4})?%|%[a-z_][a-z0-9_()]{0,40}:~\s{0,3}-?\d{1,4}(?:\s{0,3},\s{0,3}-?\d{1,4})?%(?:[a-z0-9]|%[a-z_])/i;

function slicesCmdVariable(value: InspectedValue): boolean {
  return (value.raw.indexOf(':~') >= 0 && CMD_SLICE.test(value.raw)) || (value.lower.indexOf(':~') >= 0 && CMD_SLICE.test(value.lower));
}

/** PowerShell's escape character inside a word (`i`e`x`, `N`ew-Ob`je`ct`): it escapes nothing there and drops out. */
const POWERSHELL_WORD_ESCAPE = /(?<=[a-z0-9-])\x60(?=[a-z0-9-])/g;
/** String literals joined by `+` (`'Down'+'loadString'`): a name spelled in parts. */
const POWERSHELL_STRING_JOINT = /['"]\s{0,5}\+\s{0,5}['"]/g;
const rulesById = (ids: readonly number[]): readonly RegexRule[] => CMDI_RULES.filter((rule) => ids.includes(rule.id));
/** Without its escapes a value is what PowerShell runs: the shell and PowerShell rules read it. */
const UNESCAPED_RULES = rulesById([400106, 400117, 400121]);
/** Joined strings are any language's (`"/bin/" + "sh"` in Java): only PowerShell's own cradles and invocations count there. */
const JOINED_RULES = rulesById([400117, 400121]);

/** The PowerShell rules a value matches once read as PowerShell reads it (escapes dropped, then string literals joined). */
function matchPowerShellReadings(lower: string, report: (rule: Rule) => void): void {
  if (lower.indexOf('\x60') >= 0) {
    const unescaped = lower.replace(POWERSHELL_WORD_ESCAPE, '');
    if (unescaped !== lower) matchRegexRulesOnText(UNESCAPED_RULES, unescaped, report);
    lower = unescaped;
  }
  if (lower.indexOf('+') < 0) return;
  const joined = lower.replace(POWERSHELL_STRING_JOINT, '');
  if (joined !== lower) matchRegexRulesOnText(JOINED_RULES, joined, report);
}

/** JavaScript's bracket property access (`["mainModule"]["require"]`): the dotted access it stands for. */
const BRACKET_PROPERTY = /\[\s{0,5}(['"\x60])([\w$]{1,40})\1\s{0,5}\]/g;
const NODE_PROCESS_RULES = rulesById([400125]);

/** The Node.js process rule on a value whose property accesses are written in brackets, read dotted. */
function matchBracketedNodeAccess(lower: string, report: (rule: Rule) => void): void {
  if (lower.indexOf('[') < 0 || (lower.indexOf('mainmodule') < 0 && lower.indexOf('child_process') < 0)) return;
  const dotted = lower.replace(BRACKET_PROPERTY, '.$2');
  if (dotted !== lower) matchRegexRulesOnText(NODE_PROCESS_RULES, dotted, report);
}

/**
 * What still counts in prose (InspectedValue.prose) and in script files (isScriptDocument): a
 * reverse shell (of 400106's matches, not a shell launched by its path or `cmd /c`, which scripts
 * and posts name: holdsReverseShell), a download cradle or a command computed from a decoding,
 * which no how-to needs to spell that way, and a server-side include, which runs where the
 * document is served.
 */
const PROSE_RULES: ReadonlySet<number> = new Set([400106, 400107, 400117, 400121, 400122]);
const SHELL_EVASION_ID = 400106;
/** A network socket opened in code (Python's `socket.socket()`, Java's `new Socket(`, PHP's `fsockopen`, .NET's `TcpClient`). */
const NETWORK_SOCKET = /\bsocket\b|fsockopen|tcpsocket|tcpclient/;

/**
 * 400106 in a document: a reverse shell or evasion, or a shell launched by its path beside a
 * socket the code opens (a reverse shell written in Groovy or Python: `ProcessBuilder("/bin/bash")`
 * and `new Socket(host, port)`).
 */
function holdsReverseShell(v: InspectedValue): boolean {
  return REVERSE_SHELL_OR_EVASION.test(v.lower) || REVERSE_SHELL_OR_EVASION.test(v.shell) || NETWORK_SOCKET.test(v.lower);
}

/** A first line that opens with a separator or a break-out, alone or after one short word (`x;`, `1|`, `a'`, `$(`). */
const OPENS_WITH_SEPARATOR = /^\s{0,3}(?:[\w.-]{1,40}[ \t]{0,3})?(?:[;|&`)'"\n]|\$\()/;

/** A download piped into a shell (`curl -s http://…/i.sh|sh`): run as it arrives, in a file or not. */
const FETCH_INTO_SHELL = /\b(?:curl|wget)\b[^|\n;&]{0,200}\|[ \t]{0,5}(?:sudo[ \t]{1,5})?(?:\/(?:usr\/)?bin\/)?(?:ba|z|k|da)?sh\b/;

/**
 * A package name, then an index or registry on a bare public IPv4 address
 * (`requests --index-url http://203.0.113.7/simple`): pip and npm install, and run the setup code
 * of, what it serves. The package name is a plain word, which 400123's leading-argument test turns
 * away; a package index is named by its host.
 */
const PACKAGE_INDEX_OPTION =
  /^\s{0,3}[\w.@/-]{1,100}(?:[=<>~!]=?[\w.*]{1,40})?(?:\s{1,5}-[^\s]{1,100}){0,3}\s{1,5}--(?:index-url|extra-index-url|find-links|registry)(?:=|\s{1,5})['"]?https?:\/\/(\d{1,3}(?:\.\d{1,3}){3})\b/;
const OPTION_INJECTION = CMDI_RULES.find((rule) => rule.id === 400123)!;

function installsFromPublicAddress(lower: string): boolean {
  if (lower.indexOf('--') < 0) return false;
  const address = PACKAGE_INDEX_OPTION.exec(lower)?.[1];
  return address !== undefined && judgeHost(address).kind === undefined;
}

/**
 * A download from a bare public IPv4 address piped into a shell, wherever the pipe sits: inside a
 * quoted `-c` argument (`-c "curl -s http://203.0.113.7/m.sh|sh"`), in a string handed to a
 * process call of some language (`system('curl -s 203.0.113.7/g|sh')`), in prose. Installers are
 * fetched by name, and a how-to fetching from its own network's address names a private one.
 */
const FETCHED_ADDRESS = /(?:^|[\s/@'"])(\d{1,3}(?:\.\d{1,3}){3})(?=[:/\s|'"]|$)/;
const CHAINED_SHELL = CMDI_RULES.find((rule) => rule.id === 400104)!;

function fetchesFromPublicAddressIntoShell(lower: string): boolean {
  if (lower.indexOf('|') < 0) return false;
  const fetch = FETCH_INTO_SHELL.exec(lower);
  const address = fetch === null ? undefined : FETCHED_ADDRESS.exec(fetch[0])?.[1];
  return address !== undefined && judgeHost(address).kind === undefined;
}

/**
 * A script or build file written out in lines (a Dockerfile, a Makefile, a CI job, a shell script,
 * a package manifest's scripts), sent whole to a repository, a CI server or a wiki: its commands
 * are its subject, as a how-to's are. An injection lands inside a command line someone else wrote
 * and opens with what ends it; one that pipes a download into a shell is read as any value is.
 */
function isScriptDocument(lower: string): boolean {
  return isWrittenOutDocument(lower) && !OPENS_WITH_SEPARATOR.test(lower) && !FETCH_INTO_SHELL.test(lower);
}

export const commandInjectionPack: RulePack = {
  name: 'cmdi',
  readsPlainValues: true,
  classification: 'CommandInjection',
  rules: [...CMDI_RULES, ...Object.values(SHELL_GRAMMAR_RULES)],
  // Python's dunder names, TeX's shell stream, Deno, Bun, Scala's process module and SSH URLs with an option for a host apart from PREFILTER:
  // one more alternative there costs every value a little.
  prefilter: (v) =>
    PREFILTER.test(v.lower) ||
    v.lower.indexOf('__import__') >= 0 ||
    v.lower.indexOf('__subclasses__') >= 0 ||
    v.lower.indexOf('write18') >= 0 ||
    v.lower.indexOf('deno') >= 0 ||
    v.lower.indexOf('bun.') >= 0 ||
    v.lower.indexOf('sys.process') >= 0 ||
    v.lower.indexOf('ssh://-') >= 0 ||
    (v.lower.indexOf('-') >= 0 && OPTIONS_LEAD.test(v.lower)) ||
    startsWithCommand(v.shell),
  inspect: (v, report) => {
    const keep: ReportRule =
      v.prose || isScriptDocument(v.lower)
        ? (rule) => {
            if (PROSE_RULES.has(rule.id) && (rule.id !== SHELL_EVASION_ID || holdsReverseShell(v))) report(rule);
          }
        : report;
    matchRegexRules(CMDI_RULES, v, keep);
    // What cmd runs once its carets and its `,;=` delimiters around /c are gone (`|n^e^t u^s^e^r`,
    // `&cmd,/c,whoami`): the chained-command rules read that too (sh's own evasions are the grammar's).
    if ((v.lower.indexOf('^') >= 0 || v.lower.indexOf('cmd') >= 0) && v.shell !== v.lower) matchRegexRulesOnText(LOWER_CASE_RULES, v.shell, keep);
    matchPowerShellReadings(v.lower, keep);
    matchBracketedNodeAccess(v.lower, keep);
    // The raw value: decoding reads the escapes as the letters they spell.
    if (v.lower.indexOf('printf') >= 0 && PRINTF_ESCAPES_SUBSTITUTION.test(v.raw.toLowerCase())) keep(DECODING_SUBSTITUTION);
    if (slicesCmdVariable(v)) keep(EVASIVE_EXPANSION);
    if (fetchesFromPublicAddressIntoShell(v.lower)) report(CHAINED_SHELL);
    if (installsFromPublicAddress(v.lower)) keep(OPTION_INJECTION);
    inspectShellGrammar(v, keep);
  },
};
