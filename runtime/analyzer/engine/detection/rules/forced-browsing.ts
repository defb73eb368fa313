/**
 * Forced browsing: requests for secret, backup and VCS files.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

export const FORCED_BROWSING_RULES: readonly RegexRule[] = [
  {
    id: 940101,
    classification: 'ForcedBrowsing',
    state: 'Reconnaissance',
    risk: 40,
    severity: 'warning',
    confidence: 'high',
    description: 'ForcedBrowsingAnalyzer: request for a secret or backup file',
    pattern:
      /(?:^|\/)(?:\.env(?:\.[\w-]{1,20})?|\.git\/(?:config|head|index|logs\/head|refs\/heads\/[\w.-]{1,40}|packed-refs|description)|\.git-credentials|\.gitlab-ci\.yml|\.svn\/(?:entries|wc\.db)|\.hg\/\w{1,20}|\.bzr\/[\w.-]{1,20}|\.ds_store|\.htpasswd|\.htaccess|\.aws\/credentials|\.ssh\/(?:id_[a-z0-9]{2,10}|authorized_keys)|\.idea\/workspace\.xml|\.vscode\/sftp\.json|\.npmrc|\.dockercfg|\.docker\/config\.json|docker-compose\.ya?ml|wp-config\.php(?:\.bak|\.old|\.save|\.swp|~)?|web\.config(?:\.bak)?|phpinfo\.php|info\.php|server-(?:status|info)|elmah\.axd|trace\.axd|actuator\/(?:env|heapdump|threaddump|jolokia|gateway\/routes|configprops|mappings|loggers|logfile)|\.bash_history|\.mysql_history|(?:backup|backups|dump|database|db|site|www|wwwroot|htdocs|public_html)\.(?:sql|sql\.gz|zip|rar|7z|tar|tar\.gz|tgz|bak)|config\.(?:php|inc|json|ya?ml)\.(?:bak|old|orig|save)|web-inf\/web\.xml|composer\.(?:json|lock)|database\.yml|secrets\.yml|settings\.py|appsettings(?:\.\w{1,20})?\.json|terraform\.tfstate(?:\.backup)?)$|\.(?:php|jsp|asp|aspx|inc|conf|config|cfg|ini|sql|py|rb|js|html?)(?:\.(?:bak|old|orig|save|swp|tmp|copy|back|backup|1)|~)$/,
  },
];

/** Every entry has a dot except the server and actuator status pages. */
const PREFILTER = /\.|server-|actuator\//;

export const forcedBrowsingPack: RulePack = {
  name: 'forced-browsing',
  classification: 'ForcedBrowsing',
  rules: FORCED_BROWSING_RULES,
  skip: (v) => v.location !== 'path',
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(FORCED_BROWSING_RULES, v, report),
};
