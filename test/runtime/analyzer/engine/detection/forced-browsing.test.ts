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

  it('leaves ordinary pages and assets alone, and only reads the URL path', () => {
    for (const path of ['/index.php', '/static/app.js', '/backup', '/docs/env-setup', '/git/config-guide', '/blog/.well-known-facts'])
      expect({ path, probes: probes(path) }).toEqual({ path, probes: false });
    expect(inspectValue(new InspectedValue('query', 'f', '/.env'), [forcedBrowsingPack])).toEqual([]);
  });
});
