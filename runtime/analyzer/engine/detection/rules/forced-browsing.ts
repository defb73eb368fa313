/**
 * Forced browsing: requests for secret, backup and VCS files.
 */
import { canonicalName } from '../path';
import type { RulePack } from '../types';
import { matchRegexRules, matchRegexRulesOnText, type RegexRule } from './regex-rule';

/**
 * Files no site serves on purpose, whose answer hands over secrets or source: VCS internals,
 * credentials, shell histories, server configuration, backups of code or databases (Drupal's SQLite
 * database, `.ht.sqlite`, is named for the server's `.ht*` rule to hide) and a JVM's
 * heap dump (Spring Boot's actuator: every secret the process holds); ASP.NET's protected folders
 * (App_Data, App_Code, the assemblies in bin), which the platform never serves.
 */
const SECRET_FILES =
  /(?:^|\/)(?:\.env(?:\.[\w-]{1,20})?|\.(?:git|svn|hg|bzr)\/(?:[\w.-]{1,60}\/){0,3}[\w.-]{1,80}|\.git-credentials|(?:app_data|app_code|app_globalresources|app_webreferences|app_browsers)\/[^/]{1,80}|bin\/[\w.-]{1,80}\.dll|\.htpasswd|\.htaccess|\.ht\.sqlite|\.aws\/credentials|\.ssh\/(?:id_[a-z0-9]{2,10}|authorized_keys)|\.vscode\/sftp\.json|\.npmrc|\.dockercfg|\.docker\/config\.json|wp-config\.php(?:\.bak|\.old|\.save|\.swp|~)?|web\.config(?:\.bak)?|\.bash_history|\.mysql_history|(?:backup|backups|dump|database|db|site|www|wwwroot|htdocs|public_html)\.(?:sql|sql\.gz|zip|rar|7z|tar|tar\.gz|tgz|bak)|config\.(?:php|inc|json|ya?ml)\.(?:bak|old|orig|save)|web-inf\/[\w.-]{1,40}(?:\/[\w.-]{1,40}){0,3}|terraform\.tfstate(?:\.backup)?|actuator\/heapdump|\.kube\/config|config\/master\.key|sftp-config\.json|cvs\/(?:entries|root)|storage\/logs\/laravel\.log|app\/etc\/env\.php|(?:server|private|privkey|private[_-]?key)\.(?:key|pem)|#[\w.-]{1,60}#|[\w.-]{0,40}[_-](?:db|database|dump|backup)(?:[_.-][\w.-]{0,40})?\.sql(?:\.(?:gz|bz2|xz|zip|7z))?|(?:db|database|dump|backup)[_-][\w.-]{1,40}\.sql(?:\.(?:gz|bz2|xz|zip|7z))?)$|\.(?:php|jsp|asp|aspx|inc|conf|config|cfg|ini|sql|py|rb)(?:\.(?:bak|old|orig|save|swp|tmp|copy|back|backup|1)|~|::\$data)$/;

/**
 * Resources a site may serve on purpose (a Blazor app fetches appsettings.json, a monitor reads
 * actuator endpoints, a status page is public) but that scanners look for everywhere.
 */
const EXPOSED_RESOURCES =
  /(?:^|\/)(?:\.gitlab-ci\.yml|\.ds_store|\.idea\/workspace\.xml|docker-compose\.ya?ml|phpinfo\.php|info\.php|server-(?:status|info)|elmah\.axd|trace\.axd|actuator\/(?:env|threaddump|jolokia|gateway\/routes|configprops|mappings|loggers|logfile)|_profiler\/phpinfo|telescope\/requests|hnap1\/?|composer\.(?:json|lock)|database\.yml|secrets\.yml|settings\.py|appsettings(?:\.\w{1,20})?\.json|application(?:-\w{1,20})?\.(?:properties|ya?ml)|\.github\/workflows\/[\w.-]{1,60}\.ya?ml|_debugbar\/open|debug\/pprof\/?|_cat\/indices|containers\/json|v[23]\/api-docs|wp-content\/debug\.log|jolokia\/(?:list|version)\/?)$|\.(?:js|html?)(?:\.(?:bak|old|orig|save|swp|tmp|copy|back|backup|1)|~)$/;

export const FORCED_BROWSING_RULES: readonly RegexRule[] = [
  {
    id: 940101,
    classification: 'ForcedBrowsing',
    state: 'Reconnaissance',
    risk: 40,
    severity: 'warning',
    confidence: 'high',
    description: 'ForcedBrowsingAnalyzer: request for a debug, status, build or configuration resource scanners look for',
    pattern: EXPOSED_RESOURCES,
  },
  {
    id: 940102,
    classification: 'ForcedBrowsing',
    state: 'Reconnaissance',
    risk: 60,
    severity: 'critical',
    confidence: 'high',
    description:
      'ForcedBrowsingAnalyzer: request for a secret, VCS or backup file no site serves (.git/config, .htpasswd, .env, db.sql, *.php.bak, a file under WEB-INF)',
    pattern: SECRET_FILES,
  },
  {
    id: 940104,
    classification: 'ForcedBrowsing',
    state: 'Reconnaissance',
    risk: 60,
    severity: 'error',
    confidence: 'high',
    description:
      'ForcedBrowsingAnalyzer: request for a web shell by a common name (someone looking for a backdoor another attacker left: WSO, c99, r57, b374k, ALFA)',
    // Not `cmd.php`: phpLDAPadmin's own entry point is named so.
    pattern:
      /(?:^|\/)(?:(?:wso\d{0,3}|c99(?:shell)?|r57(?:shell)?|b374k|alfa(?:shell)?|indoxploit|webshell|shell)\.(?:php\d?|phtml|aspx?|jsp)|cmd\.(?:aspx?|jsp)|alfa_data\/alfacgiapi\/[\w.-]{1,40})$/,
  },
  {
    id: 940103,
    classification: 'ForcedBrowsing',
    state: 'Reconnaissance',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description:
      "ForcedBrowsingAnalyzer: request for a script that runs code it is sent, left in a dependency's folder (PHPUnit's eval-stdin.php, CVE-2017-9841; Laravel Ignition's execute-solution, CVE-2021-3129)",
    // No application links to them: a request for one is an exploit or a scan for it, under any plugin's vendor folder.
    pattern: /(?:^|\/)phpunit\/(?:phpunit\/)?src\/util\/php\/eval-stdin\.php$|(?:^|\/)_ignition\/execute-solution$/,
  },
];

/** An ASP.NET cookieless segment, with the slash before it when it is a whole segment. */
const COOKIELESS_SEGMENT = /\/?\([a-z]\([^()/]{0,100}\)\)/g;
/** A name ending in a dot or a space, which Windows drops (see canonicalName). */
const NAME_TRAILER = /[. ](?:\/|$)/;
/** A `.` or `..` step: no name to resolve. */
const DOT_STEP = /^\.{1,2}$/;

/** Every entry has a dot except these status and debug pages. */
const PREFILTER =
  /\.|server-|actuator\/|jolokia\/|_profiler\/|telescope\/|hnap1|_ignition\/|#|_debugbar|pprof|_cat\/|containers\/json|api-docs|cvs\/|web-inf\/|app_|bin\/|alfacgiapi/;

export const forcedBrowsingPack: RulePack = {
  name: 'forced-browsing',
  classification: 'ForcedBrowsing',
  rules: FORCED_BROWSING_RULES,
  skip: (v) => v.location !== 'path',
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => {
    matchRegexRules(FORCED_BROWSING_RULES, v, report);
    // The path as IIS and ASP.NET route it: cookieless segments (`/(S(…))/`, `/(A(…))`) dropped wherever
    // they are, even inside a folder's name (`/b/(A(x))in/x.dll` is `/bin/x.dll`), and each name's
    // trailing dots and spaces, which Windows ignores (`/App_Data./x.sdf .`).
    if (v.lower.indexOf('))') >= 0 || NAME_TRAILER.test(v.lower)) {
      const routed = v.lower
        .replace(COOKIELESS_SEGMENT, '')
        .split('/')
        .map((segment) => (DOT_STEP.test(segment) ? segment : canonicalName(segment)))
        .join('/');
      if (routed !== v.lower) matchRegexRulesOnText(FORCED_BROWSING_RULES, routed, report);
    }
  },
};
