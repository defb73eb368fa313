/**
 * Forced browsing: requests for secret, backup and VCS files.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';


export const FORCED_BROWSING_RULES: readonly RegexRule[] = [
  {
    id: 940101, classification: 'ForcedBrowsing', state: 'Reconnaissance', risk: 40, severity: 'warning', confidence: 'high',
    description: 'ForcedBrowsingAnalyzer: request for a secret or backup file',
    pattern:
      /(?:^|\/)(?:\.env(?:\.[\w-]{1,20})?|\.git\/(?:config|head|index|logs\/head)|\.svn\/(?:entries|wc\.db)|\.hg\/\w{1,20}|\.ds_store|\.htpasswd|\.htaccess|\.aws\/credentials|\.ssh\/(?:id_[a-z0-9]{2,10}|authorized_keys)|wp-config\.php(?:\.bak|\.old|~)?|web\.config(?:\.bak)?|phpinfo\.php|server-status|actuator\/(?:env|heapdump|jolokia|gateway\/routes|configprops)|\.bash_history|(?:backup|dump|database|db)\.(?:sql|zip|tar\.gz|tgz|bak)|config\.(?:php|inc|json|ya?ml)\.(?:bak|old|orig|save))$|\.(?:php|jsp|asp|aspx|inc|conf|config|cfg|ini|sql|py|rb|js|html?)(?:\.(?:bak|old|orig|save|swp|tmp|copy|back|backup|1)|~)$/,
  },
];

const PREFILTER = /\./;

export const forcedBrowsingPack: RulePack = {
  name: 'forced-browsing',
  classification: 'ForcedBrowsing',
  rules: FORCED_BROWSING_RULES,
  skip: (v) => v.location !== 'path',
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(FORCED_BROWSING_RULES, v, report),
};
