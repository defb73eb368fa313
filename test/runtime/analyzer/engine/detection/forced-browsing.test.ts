import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { forcedBrowsingPack } from '@/runtime/analyzer/engine/detection/rules/forced-browsing';

const probes = (path: string): boolean => inspectValue(new InspectedValue('path', '', path), [forcedBrowsingPack]).length > 0;

describe('forced browsing pack', () => {
  it('flags requests for secrets, VCS metadata, backups and debug endpoints', () => {
    for (const path of [
      '/.env',
      '/.env.production',
      '/.git/config',
      '/.git/refs/heads/main',
      '/.svn/wc.db',
      '/wp-config.php.bak',
      '/backup.sql.gz',
      '/www.zip',
      '/server-status',
      '/actuator/heapdump',
      '/elmah.axd',
      '/.vscode/sftp.json',
      '/docker-compose.yml',
      '/terraform.tfstate',
      '/index.php.bak',
      '/app/settings.py',
      '/.DS_Store',
    ]) {
      expect({ path, probes: probes(path) }).toEqual({ path, probes: true });
    }
  });

  it('alerts alone at level 1 on files no site serves, and from level 3 on resources a site may serve on purpose', () => {
    const severity = (path: string) => inspectValue(new InspectedValue('path', '', path), [forcedBrowsingPack]).map((r) => r.severity);
    // IIS serves a script's source for its ::$DATA stream
    for (const path of [
      '/.git/config',
      '/.htpasswd',
      '/.env',
      '/db.sql',
      '/index.php.bak',
      '/.aws/credentials',
      '/WEB-INF/web.xml',
      '/WEB-INF/classes/db.properties',
      '/s/123cfx/_/;/WEB-INF/decorators.xml',
      '/default.asp::$DATA',
      '/actuator/heapdump',
      '/shop_db.sql.gz',
      '/site-dump.sql.zip',
      '/backup_2024-05.sql',
      '/wp-content/plugins/x/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
      '/_ignition/execute-solution',
      '/.kube/config',
      '/config/master.key',
      '/sftp-config.json',
      '/CVS/Entries',
      '/#config.php#',
      '/storage/logs/laravel.log',
      '/app/etc/env.php',
      '/server.key',
      '/privatekey.pem',
      '/sites/default/files/.ht.sqlite',
      // Anything inside a VCS folder: what a repository dumper fetches after HEAD.
      '/.git/objects/info/packs',
      '/.git/objects/ab/cdef0123456789abcdef0123456789abcdef01',
      '/.hg/store/00manifest.i',
      '/WEB-INF/classes',
      // ASP.NET's protected folders, also through cookieless segments or Windows' trailing dots.
      '/App_Data/Customers.sdf',
      '/App_Data./Customers.sdf .',
      '/(S(x3ylq4z5vbm2fnbq1kgm0jy5))/bin/Contoso.Web.dll',
      '/(A(ABCD))/b/(A(ABCD))in/Contoso.Data.dll',
    ])
      expect({ path, severity: severity(path) }).toEqual({ path, severity: ['critical'] });
    // Web shells looked for by name: alerts from level 2.
    for (const path of ['/shell.php', '/wso.php', '/ALFA_DATA/alfacgiapi/perl.alfa', '/aspnet_client/cmd.aspx'])
      expect({ path, severity: severity(path) }).toEqual({ path, severity: ['error'] });
    // A public data dump, a schema file and a page about migrations are no backup of this site.
    for (const path of ['/dumps/enwiki-latest-pages.sql.gz', '/schema.sql.txt', '/docs/db-migrations.html', '/downloads/mydb.sql'])
      expect({ path, severity: severity(path) }).toEqual({ path, severity: [] });
    for (const path of [
      '/appsettings.json',
      '/actuator/env',
      '/jolokia/list',
      '/server-status',
      '/composer.json',
      '/.DS_Store',
      '/app.js.bak',
      '/_profiler/phpinfo',
      '/telescope/requests',
      '/HNAP1/',
      '/_debugbar/open',
      '/debug/pprof/',
      '/v2/api-docs',
      '/.github/workflows/deploy.yml',
      '/wp-content/debug.log',
      '/application.properties',
    ])
      expect({ path, severity: severity(path) }).toEqual({ path, severity: ['warning'] });
  });

  it('leaves ordinary pages and assets alone, and only reads the URL path', () => {
    // A public certificate is published on purpose; a shell's manual is a page.
    for (const path of [
      '/index.php',
      '/static/app.js',
      '/backup',
      '/docs/env-setup',
      '/git/config-guide',
      '/blog/.well-known-facts',
      '/ca.pem',
      '/cert.pem',
      '/docs/shell.html',
      '/phpldapadmin/cmd.php',
      // A hosted repository's smart-HTTP URL is named `project.git`, not a `.git` folder.
      '/group/project.git/info/refs',
      '/~john/index.html',
      '/docs/v1.2./index.html',
      '/cgi-bin/status',
    ])
      expect({ path, probes: probes(path) }).toEqual({ path, probes: false });
    expect(inspectValue(new InspectedValue('query', 'f', '/.env'), [forcedBrowsingPack])).toEqual([]);
  });
});
