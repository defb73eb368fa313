import fc from 'fast-check';
import { pathForm } from '@/runtime/analyzer/engine/detection/decode';
import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { MAX_ANCHORS, namesSensitiveFile, pathShape } from '@/runtime/analyzer/engine/detection/path';
import { pathTraversalPack } from '@/runtime/analyzer/engine/detection/rules/path-traversal';
import type { ValueLocation } from '@/runtime/analyzer/engine/detection/types';

const ids = (value: string, location: ValueLocation = 'query', name = 'file'): number[] =>
  inspectValue(new InspectedValue(location, name, value), [pathTraversalPack]).map((r) => r.id);
const alerts = (value: string, location: ValueLocation = 'query', name = 'file'): boolean =>
  inspectValue(new InspectedValue(location, name, value), [pathTraversalPack]).some((r) => r.severity === 'critical' && r.confidence === 'high');

describe('path form', () => {
  it('reads escapes lenient servers accept as the bytes they compute', () => {
    // b=11,g=16 -> 0xc0; q=26,f=15 -> 0x1af & 0xff = 0xaf: the overlong slash.
    expect(pathForm('..%bg%qf..%bg%qfetc')).toBe('../../etc');
    expect(pathForm('..%5')).toBe('../');
    expect(pathForm('..0x2f..0x5cwindows')).toBe('../../windows');
    expect(pathForm('0x2e0x2e/')).toBe('../');
    expect(pathForm('..2f..5cetc')).toBe('../../etc');
  });

  it('unifies separators, drops control bytes, ends a segment at NUL and expands ellipses', () => {
    expect(pathForm('..\\..\\boot.ini')).toBe('../../boot.ini');
    expect(pathForm('.\x01./.\x00./etc')).toBe('../../etc');
    expect(pathForm('passwd\x00.jpg')).toBe('passwd/.jpg');
    // A whole segment of two dots with a tab or line break between them; not a sentence's dot before a line starting `./`.
    expect(pathForm('/app/.\t./supervisor/.\r\n./etc')).toBe('/app/../supervisor/../etc');
    expect(pathForm('etc.\n./configure')).toBe('etc.\n./configure');
    expect(pathForm('\u2026/\u2025/')).toBe('.../../');
    // What %c0%9v leaves: the lead byte lower-cased to U+00E0, then the lenient 0xaf.
    expect(pathForm('..\u00e0%9v..')).toBe('../..');
  });

  it('keeps empty segments (they mark a pasted absolute path)', () => {
    expect(pathForm('/files//etc/passwd')).toBe('/files//etc/passwd');
  });

  it('terminates, never throws and stays within twice the input on any text', () => {
    const unit = fc.constantFrom('%', '.', '/', '\\', '0', 'x', '2', 'f', '5', 'c', 'g', '\x00', '\t', '\n', '\u2026', '\u00e0', '\u00af', 'a');
    fc.assert(fc.property(fc.string({ unit, maxLength: 400 }), (s) => pathForm(s).length <= s.length * 3 + 3));
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => typeof pathForm(s.toLowerCase()) === 'string'));
  });
});

describe('path shape', () => {
  it('counts parent steps in every spelling', () => {
    for (const form of ['../../x', '..../..../x', '..;/..;jsessionid=1/x', '.. /..\u00af/x', '.../.../x', '../ ../x']) {
      expect({ form, steps: pathShape(form, false).parentSteps }).toEqual({ form, steps: 2 });
    }
    expect(pathShape('a..b/..c/...d', false).parentSteps).toBe(0);
  });

  it('anchors paths at the root, after parent steps and (in URL paths) after an empty segment', () => {
    expect(pathShape('/etc/passwd', false).anchors).toEqual([{ segments: ['etc', 'passwd'], relative: false, from: 'start' }]);
    expect(pathShape('../../etc/./passwd', false).anchors).toEqual([{ segments: ['etc', 'passwd'], relative: false, from: 'parent' }]);
    expect(pathShape('/view//var/log/x/details', true).anchors.map((a) => a.from)).toEqual(['start', 'restart']);
    expect(pathShape('/view//var/log/x', false).anchors).toHaveLength(1);
    expect(pathShape('etc/passwd', false).anchors[0].relative).toBe(true);
    expect(pathShape('c:/windows', false).anchors[0].relative).toBe(false);
    expect(pathShape('file:///etc/passwd', false).anchors[0]).toEqual({ segments: ['etc', 'passwd'], relative: false, from: 'start' });
  });

  it('resolves names as the file system does (stream suffix, trailing dots and spaces)', () => {
    expect(pathShape('/web.config::$data', false).anchors[0].segments).toEqual(['web.config']);
    expect(pathShape('/boot.ini. . ', false).anchors[0].segments).toEqual(['boot.ini']);
  });

  it('is bounded on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('.', '/', 'a', ' ', ';'), maxLength: 2000 }), fc.boolean(), (s, restart) => {
        const shape = pathShape(s, restart);
        return shape.anchors.length <= MAX_ANCHORS && shape.parentSteps <= 256;
      }),
    );
  });
});

describe('sensitive files', () => {
  const sensitive = (form: string, context: 'value' | 'url-path' = 'value'): boolean =>
    pathShape(form, context === 'url-path').anchors.some((a) => namesSensitiveFile(a, context));

  it('knows unix, Windows, server, credential and application files', () => {
    for (const form of [
      '/etc/passwd',
      '/var/log/apache2/access.log',
      '/proc/self/environ',
      '/usr/local/etc/php.ini',
      '/opt/lampp/logs/error_log',
      '/root/.bash_history',
      '/home/alice/.ssh/id_rsa',
      '/var/www/html/.htaccess',
      'c:/windows/win.ini',
      'c:/inetpub/wwwroot/web.config',
      'c:/program files/apache group/apache/conf/httpd.conf',
      'd:/system32/inetsrv/metabase.xml',
      'config/database.yml',
      'app/.env',
      'web-inf/web.xml',
      '/home/u/.aws/credentials',
      'includes/wp-config.php',
      '/private/etc/master.passwd',
      // In a user's AppData, the stores of secrets.
      'c:/users/x/appdata/local/google/chrome/user data/default/login data',
      'c:/users/x/appdata/roaming/microsoft/credentials/dfbe70a7e5cc19a398ebf1b96859ce5d',
      'c:/users/x/appdata',
    ])
      expect({ form, sensitive: sensitive(form) }).toEqual({ form, sensitive: true });
  });

  it('does not take ordinary paths and words for files', () => {
    for (const form of [
      '/home/index.html',
      '/account/logon',
      'images/logo.png',
      'messages',
      'hosts/list',
      '/api/v1/config',
      'passwd',
      '/blog/etc',
      'c:/fakepath/photo.jpg',
      'c:/users/bob/documents/cv.pdf',
      // Where every application installs, logs and keeps its data: telemetry and crash reports name these.
      'c:/users/jdoe/appdata/local/programs/boardly/boardly.exe',
      'c:/users/jkowalski/appdata/local/pixelforge/logs',
      'c:/users/jsmith/appdata/roaming/microsoft',
    ]) {
      expect({ form, sensitive: sensitive(form) }).toEqual({ form, sensitive: false });
    }
  });

  it('judges the URL path itself only by roots no site routes through', () => {
    expect(sensitive('/etc/passwd', 'url-path')).toBe(true);
    expect(sensitive('/view//home/apache/conf/httpd.conf/details', 'url-path')).toBe(true);
    expect(sensitive('/members/.htpasswd', 'url-path')).toBe(true);
    expect(sensitive('/home/apache/conf/httpd.conf', 'url-path')).toBe(false);
    expect(sensitive('/shop/logs/error.log', 'url-path')).toBe(false);
    expect(sensitive('/usr/profile', 'url-path')).toBe(false);
  });
});

describe('path traversal pack', () => {
  it('detects traversal in every encoding the decoding layer and path form undo', () => {
    for (const value of [
      '../../../etc/passwd',
      '..%2f..%2f..%2fetc%2fpasswd',
      '..%252f..%252fetc%252fshadow',
      '%2e%2e%5c%2e%2e%5cboot.ini',
      '..%c0%af..%c0%afetc%c0%afpasswd',
      '..%e0%80%af..%e0%80%afwindows%e0%80%afwin.ini',
      '%u002e%u002e%u2215%u002e%u002e%u2215etc',
      '..%bg%qf..%bg%qfetc%bg%qfpasswd',
      '....//....//etc/hosts',
      '..;/..;/web-inf/web.xml',
      '../WEB-INF',
      '..0x2f..0x2fetc0x2fpasswd',
      '.%00./.%00./etc/passwd',
      '..%5c..%5c..%5cwindows%5csystem32',
      '\u2025/\u2025/\u2025/etc/passwd',
      '..\\..\\..\\..\\inetpub\\wwwroot\\web.config',
    ])
      expect({ value, alerts: alerts(value) }).toEqual({ value, alerts: true });
  });

  it('detects bare absolute paths of sensitive files, and relative ones with a directory', () => {
    for (const value of [
      '/var/log/lighttpd',
      '/etc/proftpd/modules.conf',
      'C:\\inetpub\\wwwroot\\global.asa',
      'c:WINDOWS/system32/',
      '/.bash_history',
      'file:///etc/./passwd',
      'etc/passwd',
      'admin/access_log',
      '/Volumes/Macintosh_HD1/opt/apache2/conf/httpd.conf',
      'c:\\ColdFusion9\\lib\\neo-datasource.xml',
      '/opt/coldfusion11/cfusion/lib/password.properties',
    ]) {
      expect({ value, alerts: alerts(value) }).toEqual({ value, alerts: true });
    }
  });

  it('leaves a search about a system file, but not the path alone, after a command word, with code or climbed to', () => {
    expect(alerts('what is /etc/hosts file used for', 'query', 'q')).toBe(false);
    expect(alerts('windows 11 where is C:\\Windows\\System32\\drivers\\etc\\hosts', 'query', 's')).toBe(false);
    expect(alerts('what is /etc/hosts file used for', 'query', 'file')).toBe(true);
    for (const value of ['/etc/passwd', 'cat /etc/passwd', 'show /etc/passwd;id', '../../etc/passwd and more words', '/etc/passwd\u0000 jpg file'])
      expect({ value, alerts: alerts(value, 'query', 'q') }).toEqual({ value, alerts: true });
  });

  it('one parent step: sure with a sensitive target, otherwise only weak evidence', () => {
    expect(ids('../.htpasswd')).toContain(300106);
    expect(ids('../WEB-INF')).toContain(300106);
    // The folder named where no parent step climbs to it is a path in a build or a code search.
    expect(alerts('src/main/webapp/WEB-INF')).toBe(false);
    expect(ids('../images/logo.png')).toEqual([300107]);
    expect(alerts('../images/logo.png')).toBe(false);
    // An ellipsis alone (`…` folds to three dots) is text, not a step; one before a slash still is.
    expect(ids('…')).toEqual([]);
    expect(ids('...')).toEqual([]);
    expect(ids('…/images/logo.png')).toEqual([300107]);
  });

  it("credential and data paths by name: a container's secrets, ASP.NET's App_Data databases", () => {
    expect(alerts('/run/secrets/db_password')).toBe(true);
    expect(alerts('../App_Data/users.mdf')).toBe(true);
    expect(alerts('/run/secrets')).toBe(false);
  });

  it("names that are everyday folders count only under a system root: a site's /exports/ is not NFS's table", () => {
    expect(ids('{"Resource":"https://d1.cloudfront.net/exports/*"}')).toEqual([]);
    expect(alerts('/etc/exports')).toBe(true);
  });

  it("an installed package's source file is a stack frame's path, not a file read; secrets and parent steps still count", () => {
    expect(ids('/usr/local/lib/python3.11/site-packages/django/core/handlers/exception.py', 'body_json', 'frames[].abs_path')).toEqual([]);
    expect(ids('/usr/lib/node_modules/npm/lib/cli.js')).toEqual([]);
    expect(alerts('/usr/local/lib/x.py')).toBe(true);
    expect(alerts('/usr/local/lib/python3.11/site-packages/app/.env')).toBe(true);
    expect(alerts('../../../../usr/local/lib/python3.11/site-packages/x.py')).toBe(true);
  });

  it('a dot segment or a nameless path-parameter segment in the URL path as sent (proxy and application route it apart)', () => {
    for (const path of ['/;/%2e/actuator/env', '/a/./b', '/a/%2E/b', '/x/;jsessionid=x/html/list', '/app/.;/admin'])
      expect({ path, ids: ids(path, 'path', '') }).toEqual({ path, ids: [300108] });
    for (const path of [
      '/shop/;jsessionid=1234',
      '/.well-known/security.txt',
      '/activity;u1=%2F;u2=n%2Fa;x=1',
      '/favicon/v2/https://a.example/wiki/;https://b.example/',
      '/a//b',
    ])
      expect({ path, ids: ids(path, 'path', '') }).toEqual({ path, ids: [] });
    expect(alerts('/;/%2e/actuator/env', 'path', '')).toBe(false);
  });

  it('an NTFS stream name in the URL path (IIS source disclosure and folder-check bypass)', () => {
    for (const path of ['/admin::$INDEX_ALLOCATION/settings.asp', '/admin:$i30:$INDEX_ALLOCATION/x.asp', '/default.asp::$DATA'])
      expect({ path, found: ids(path, 'path', '').includes(300109) }).toEqual({ path, found: true });
    expect(ids('/price:$5/item', 'path', '')).toEqual([]);
    expect(ids('a::$data', 'query', 'q')).not.toContain(300109);
  });

  it('an NTFS stream name after a file name in a parameter (a download handler serves a script as source)', () => {
    for (const file of ['web.config::$DATA', 'Default.aspx::$data', 'images/../index.php::$DATA'])
      expect({ file, found: ids(file, 'query', 'file').includes(300109) }).toEqual({ file, found: true });
    expect(ids('price::$data', 'query', 'file')).toEqual([]);
  });

  it('any parent step in the URL path (clients resolve them before sending)', () => {
    expect(ids('/static/%2e%2e/app.js', 'path', '')).toContain(300101);
    expect(alerts('/blog/post//etc/logrotate.d/httpd/details', 'path', '')).toBe(true);
    // A segment glued to a parent step climbs out of a directory an alias maps without its slash.
    expect(ids('/static../settings.py', 'path', '')).toContain(300101);
    expect(ids('/i%2e%2e/app/config.yml', 'path', '')).toContain(300101);
    expect(alerts('/blog/wait.../comments', 'path', '')).toBe(false);
    expect(alerts('/files/v1..2/notes', 'path', '')).toBe(false);
    expect(ids('q../etc', 'query', 'q')).not.toContain(300101);
  });

  it('NUL truncation needs a file name before the NUL in a printable value', () => {
    expect(ids('report.pdf%00.html')).toContain(300104);
    expect(ids('x\x00\x13\u00cc\u00f4\x00binary')).not.toContain(300104);
    expect(ids('\x00+\u00a3\u00a8|MI5NOe')).not.toContain(300104);
  });

  it('does not alert on everyday paths, URLs and text', () => {
    for (const [value, location, name] of [
      ['/home/0,7340,L-8,00.html', 'query', 'returnurl'],
      ['https://example.com/blog/.htaccess-guide', 'query', 'url'],
      ['/fz/api/res/1.2/abc--~c/yxbw/https://s.yimg.com/cv/apiv2/default/x.jpg', 'path', ''],
      ['///Styles/cb_extentions.css', 'path', ''],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36', 'header', 'User-Agent'],
      ['C:\\fakepath\\holiday.jpg', 'multipart_filename', 'file.filename'],
      ['see the /etc directory docs', 'body_json', 'comment'],
      ['images/2024/summer.png', 'query', 'img'],
    ] as const)
      expect({ value, alerts: alerts(value, location, name) }).toEqual({ value, alerts: false });
  });
});
