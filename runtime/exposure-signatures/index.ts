/**
 * Signatures of exposed server content, written once for the analyzer (which raises findings) and
 * the STS (whose templates re-fetch the content and check it with Nuclei-compatible regex): the
 * directory listings of common servers, files that should never be served (VCS metadata, env and
 * config files, backups, manifests, key stores), and verbose error pages of common stacks. Every
 * pattern is valid in RE2 and JavaScript: no lookaround, flags only as a leading `(?ims)` group.
 */

export interface Signature {
  /** Stable key, used as the finding parameter ("apache", "git_config", "python"). */
  readonly kind: string;
  /** Human name ("Apache/nginx autoindex"). */
  readonly name: string;
  readonly regex: string;
}

/** The JavaScript RegExp of an RE2-style pattern (a leading `(?im)` group becomes JavaScript flags). */
export function goRegExp(regex: string): RegExp {
  const flags = /^\(\?([ims]+)\)/.exec(regex);
  return new RegExp(flags ? regex.slice(flags[0].length) : regex, flags ? [...new Set(flags[1])].join('') : '');
}

export function signatureRegExp(signature: Signature): RegExp {
  return goRegExp(signature.regex);
}

const compiled = new WeakMap<Signature, RegExp>();

/** The first signature of a list that matches a text. */
export function firstSignature(signatures: readonly Signature[], text: string): Signature | undefined {
  for (const signature of signatures) {
    let regex = compiled.get(signature);
    if (!regex) compiled.set(signature, (regex = signatureRegExp(signature)));
    if (regex.test(text)) return signature;
  }
  return undefined;
}

/** Server-generated directory indexes. */
export const DIRECTORY_LISTINGS: readonly Signature[] = [
  { kind: 'apache_nginx', name: 'Apache/nginx/lighttpd autoindex', regex: '(?i)<title>index of /[^<]{0,300}</title>|<h1>index of /' },
  {
    kind: 'iis',
    name: 'IIS directory browsing',
    regex: '(?i)\\[to parent directory\\]|<title>[^<]{0,200} - /[^<]{0,300}</title>[^<]{0,200}<body><h1>[^<]{0,200} - /',
  },
  { kind: 'serve_index', name: 'Node serve-index', regex: '(?i)<title>listing directory /|<div id="wrapper">[^<]{0,100}<h1>(<a href="/">~</a>|~)' },
  { kind: 'python', name: 'Python http.server', regex: '(?i)<title>directory listing for /|<h1>directory listing for /' },
  {
    kind: 'tomcat',
    name: 'Tomcat default servlet listing',
    regex: '(?i)<title>directory listing for /[^<]{0,300}</title>[^<]{0,500}<body><h1>directory listing for',
  },
  { kind: 'jetty', name: 'Jetty directory listing', regex: '(?i)<title>directory: /|<h1[^>]{0,100}>directory: /' },
  {
    kind: 's3',
    name: 'S3-style bucket listing (XML)',
    regex: '<ListBucketResult xmlns="http://s3[.]amazonaws[.]com/doc/2006-03-01/">|<ListBucketResult[^>]{0,200}>[^<]{0,100}<Name>',
  },
];

/** Key material named in a listing makes it worse. */
export const KEY_FILE_NAME = '(?i)(id_rsa|id_ed25519|[a-z0-9_-]{1,100}[.](pem|key|p12|pfx|jks|kdbx))"';

/** Files whose content, once served, discloses code, configuration or secrets. */
export const EXPOSED_FILES: readonly (Signature & { readonly path: string })[] = [
  { kind: 'git_metadata', name: 'Git repository metadata', path: '(?i)/[.]git/', regex: '(?i)^\\[core\\]|^ref: refs/|repositoryformatversion' },
  { kind: 'svn_metadata', name: 'Subversion metadata', path: '(?i)/[.]svn/', regex: '(?i)^(10|12)\\s*$|svn:wc:ra_dav' },
  { kind: 'env_file', name: 'environment file (.env)', path: '(?i)/[.]env([.][a-z]+)?$', regex: '(?m)^[A-Z][A-Z0-9_]{1,60}=.{0,300}$' },
  {
    kind: 'htpasswd',
    name: 'Apache password file (.htpasswd)',
    path: '(?i)/[.]htpasswd$',
    regex: '(?m)^[A-Za-z0-9._-]{1,64}:(\\$apr1\\$|\\$2[aby]\\$|\\{SHA\\}|[A-Za-z0-9./]{13}$)',
  },
  {
    kind: 'package_manifest',
    name: 'package manifest (package.json, composer.json)',
    path: '(?i)/(package|composer)[.]json$',
    regex: '"(dependencies|devDependencies|require)" *: *\\{',
  },
  {
    kind: 'config_file',
    name: 'application configuration file',
    path: '(?i)/(web[.]config|wp-config[.]php|config[.](php|ya?ml|json|ini)|settings[.]py|application[.](properties|ya?ml)|appsettings[.]json)',
    regex: '(?i)<configuration>|db_password|define\\( *.db_|secret_key *=|spring[.]datasource|"connectionstrings"|password *[:=]',
  },
  {
    kind: 'backup_file',
    name: 'backup or editor copy',
    path: '(?i)([.](bak|old|orig|backup|save|swp|tmp|sql|dump|tar|tgz|zip|gz)|~)$',
    regex: '(?i)<[?]php|^#!|\\b(function|class|import|require|def|package)\\b|create table|insert into|-----BEGIN|"(dependencies|password)"',
  },
  {
    kind: 'source_code',
    name: 'server-side source code',
    path: '(?i)[.](php|phps|asp|aspx|jsp|py|rb|go|java|cs|ts)$',
    regex: '(?i)^<[?]php|<%@ *page|^(import|from) [a-z_.]+ import|^package [a-z_.]+;|^using system;',
  },
];

/** Verbose errors and stack traces of common stacks and database engines. */
export const VERBOSE_ERRORS: readonly Signature[] = [
  { kind: 'node', name: 'Node.js/Express stack trace', regex: '(?i)\\n {1,20}at [^\\n]{1,300}[.](js|mjs|cjs|ts):[0-9]{1,7}:[0-9]{1,7}[)]?\\r?\\n {1,20}at ' },
  {
    kind: 'java',
    name: 'Java stack trace',
    regex:
      '(?i)at ([a-z0-9_$]{1,100}[.]){2,30}[a-z0-9_$<>]{1,100}\\(([a-z0-9_$]{1,100}[.]java:[0-9]{1,7}|native method|unknown source)\\)|exception in thread "',
  },
  { kind: 'python', name: 'Python traceback', regex: 'Traceback [(]most recent call last[)]:|File "[^"\\n]{1,300}", line [0-9]+, in ' },
  {
    kind: 'php',
    name: 'PHP error',
    regex: '(?i)<b>(fatal error|parse error|warning|notice)</b>: |php (fatal error|parse error|warning): |[.]php</b> on line <b>[0-9]+',
  },
  {
    kind: 'dotnet',
    name: '.NET error page',
    regex: "(?i)server error in '[^'\\n]{0,100}' application|[.](cs|vb):line [0-9]+|system[.](nullreference|argument|invalidoperation|format)exception",
  },
  { kind: 'go', name: 'Go panic', regex: 'goroutine [0-9]+ \\[running\\]:|panic: runtime error:' },
  { kind: 'ruby', name: 'Ruby/Rails error', regex: "(?i)[.]rb:[0-9]+:in [`']|actioncontroller::|action controller: exception caught" },
  {
    kind: 'sql',
    name: 'SQL engine error',
    regex:
      '(?i)you have an error in your sql syntax|sqlite_error|sqlite3[.]operationalerror|unclosed quotation mark after the character string|pg::syntaxerror|org[.]postgresql[.]util[.]psqlexception|ora-[0-9]{5}|sqlstate\\[',
  },
];
