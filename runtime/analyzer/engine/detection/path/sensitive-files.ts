/**
 * Knowledge of the files and directories a path traversal or local file inclusion goes after:
 * unix system files and logs, /proc, Windows system files, web server, interpreter and database
 * configuration, credentials (shell histories, SSH keys, cloud CLI credentials), and the source
 * and configuration files of common application stacks. Paths are in path form (lower case, `/`).
 */

/**
 * Directories, relative to the file-system root, whose every file is system or server state no web
 * parameter should name: an absolute path starting here is a file read.
 */
export const SYSTEM_ROOT =
  /^(?:etc|proc|root|boot|sys\/(?:class|kernel|devices|fs|firmware|module|power)|var\/(?:log|logs|adm|spool|run|lib|mail|cron|lp|saf|lock|apache2?|cpanel|www|local|mysql[\w.-]{0,20}|backups|db|yp|nis|opt|qmail|tmp\/[\w.-]{1,40}\.(?:log|sess|tmp)|[\w.-]{1,20}\.log)|usr\/(?:local|lib|lib64|etc|spool|ports|pkgsrc|sbin|bin|apache2?|share|adm|home)|opt\/(?:lampp|xampp|apache2?|httpd|nginx|tomcat[\w.-]{0,10}|bitnami|homebrew|local|remi|rh|lsws|plesk|cpanel|[\w.-]{1,30}\/(?:conf|etc|logs?|config)(?:\/|$))|private\/(?:etc|var|tmp)|volumes\/[^/]{1,64}\/(?:etc|var|usr|opt|private|users)|library\/(?:webserver|preferences\/systemconfiguration|logs)|applications\/(?:mamp|xampp)|dev\/(?:tcp|udp|fd|stdin|stdout|stderr|mem|kmem|shm|sd[a-z]|hd[a-z]|nvme)|home\d{0,2}\/[^/]{1,64}\/\.[\w.-]{2,40})(?:\/|$)/;

/**
 * The same, limited to directories no web application plausibly uses as a route: an absolute URL
 * path starting here is an attempt on the file system itself.
 */
export const SYSTEM_ROOT_IN_URL_PATH =
  /^(?:etc\/[\w.-]{2,40}|proc\/(?:self|\d{1,7}|net|sys|version|cpuinfo|meminfo|mounts|cmdline|environ)|var\/(?:log|adm|spool|run|lib|mail|www)\/|usr\/(?:local|lib|etc|sbin)\/|private\/etc\/|boot\/(?:grub|loader)|root\/\.)/;

/**
 * Windows directories below a drive (or where a traversal lands) that hold system or server files.
 * In a user's AppData only the stores of secrets (browsers' profiles, Windows' credentials and
 * DPAPI keys, FileZilla's sites): every application installs, logs and keeps its data under
 * AppData, which telemetry and crash reports name all day.
 */
export const WINDOWS_ROOT =
  /^(?:windows|winnt|win(?:95|98|nt)?\/|boot\.ini|inetpub|system32|system\.ini|win\.ini|sysprep|xampp|wamp\w{0,10}|appserv|apache[\w.-]{0,20}|php\d{0,2}(?:\/|$)|mysql[\w.-]{0,20}|inetsrv|iis\w{0,10}|netserver|program files(?: \(x86\))?(?:\/(?:apache|php|mysql|mariadb|xampp|filezilla|microsoft sql server|iis|common files\/system)|\/?$)|progra~\d|programdata\/(?:mysql|microsoft\/crypto|ssh)|documents and settings\/[^/]{1,64}\/(?:ntuser|application data|local settings)|users\/[^/]{1,64}\/(?:ntuser|\.ssh|\.aws|\.azure|\.kube|appdata(?:\/?$|\/(?:local|roaming|locallow)\/(?:google\/chrome|microsoft\/(?:edge|credentials|protect|vault|crypto)|mozilla\/firefox|filezilla|bravesoftware|opera software))))(?:\/|$|[\w.-]{0,40})/;

/**
 * File names that are secrets or system state wherever they sit. Names that are common words
 * elsewhere ("messages", "hosts", "group", "config") only count under a system root.
 */
export const SENSITIVE_FILE_NAMES: ReadonlySet<string> = new Set([
  // unix accounts and system configuration
  'passwd',
  'master.passwd',
  'shadow',
  'gshadow',
  'passwd-',
  'shadow-',
  'sudoers',
  'nsswitch.conf',
  'resolv.conf',
  'inetd.conf',
  'xinetd.conf',
  'syslog.conf',
  'rsyslog.conf',
  'syslogd.conf',
  'fstab',
  'vfstab',
  'mtab',
  'inittab',
  'crontab',
  'login.defs',
  'securetty',
  'sysctl.conf',
  'sshd_config',
  'ssh_config',
  'ssh_host_rsa_key',
  'ssh_host_ecdsa_key',
  'ssh_host_ed25519_key',
  'smb.conf',
  'krb5.conf',
  'krb5.keytab',
  'ftpusers',
  'ftpaccess',
  'ftphosts',
  'ftpchroot',
  'vsftpd.conf',
  'vsftpd.chroot_list',
  'proftpd.conf',
  'proftp.conf',
  'pure-ftpd.conf',
  'pureftpd.pdb',
  'pure-ftpd.pdb',
  'pureftpd.passwd',
  'lastlog',
  'wtmp',
  'utmp',
  'btmp',
  'wtmpx',
  'utmpx',
  'sulog',
  'faillog',
  // shell and tool dotfiles: histories and credentials
  '.bash_history',
  '.sh_history',
  '.ksh_history',
  '.zsh_history',
  '.history',
  '.mysql_history',
  '.psql_history',
  '.sqlite_history',
  '.python_history',
  '.node_repl_history',
  '.rediscli_history',
  '.lesshst',
  '.viminfo',
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.bash_logut',
  '.profile',
  '.cshrc',
  '.tcshrc',
  '.zshrc',
  '.zprofile',
  '.login',
  '.logout',
  '.kshrc',
  '.netrc',
  '.rhosts',
  '.shosts',
  '.forward',
  '.xauthority',
  '.pgpass',
  '.my.cnf',
  '.git-credentials',
  '.gitconfig',
  '.dockercfg',
  '.npmrc',
  '.pypirc',
  '.s3cfg',
  '.boto',
  '.passwd',
  '.htpasswd',
  '.htaccess',
  '.htdigest',
  '.env',
  '.env.local',
  '.env.production',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'id_rsa.pub',
  'id_dsa.pub',
  'id_ecdsa.pub',
  'id_ed25519.pub',
  'authorized_keys',
  'authorized_keys2',
  'known_hosts',
  // web servers, interpreters, databases
  'httpd.conf',
  'httpd.conf.default',
  'apache2.conf',
  'apache.conf',
  'httpd-vhosts.conf',
  'vhosts.conf',
  'ssl.conf',
  'nginx.conf',
  'lighttpd.conf',
  'php.ini',
  'php.conf',
  'php-fpm.conf',
  'www.conf',
  'php5.ini',
  'php4.ini',
  'httpd.conf.php',
  'my.cnf',
  'my.ini',
  'pg_hba.conf',
  'postgresql.conf',
  'redis.conf',
  'mongod.conf',
  'tomcat-users.xml',
  'standalone.xml',
  'domain.xml',
  'applicationhost.config',
  'metabase.xml',
  'machine.config',
  'web.config',
  'global.asa',
  'server.xml',
  // Windows
  'boot.ini',
  'win.ini',
  'system.ini',
  'ntuser.dat',
  'unattend.xml',
  'unattended.xml',
  'sysprep.inf',
  'sysprep.xml',
  'autoexec.bat',
  'config.sys',
  'hiberfil.sys',
  'pagefile.sys',
  'desktop.ini',
  // application configuration and secrets of common stacks
  'wp-config.php',
  'wp-config.php.bak',
  'configuration.php',
  'config.inc.php',
  'localsettings.php',
  'local.xml',
  'env.php',
  'parameters.yml',
  'parameters.php',
  'database.yml',
  'secrets.yml',
  'master.key',
  'credentials.yml.enc',
  'settings.py',
  'local_settings.py',
  'application.properties',
  'application.yml',
  'application.yaml',
  'bootstrap.properties',
  // ColdFusion's data-source and administrator credentials (cfusion/lib)
  'neo-datasource.xml',
  'neo-security.xml',
  'password.properties',
  'appsettings.json',
  'connectionstrings.config',
  'config.asp',
  'settings.inc.php',
  'db.php',
  'database.php',
  'dbconfig.php',
  'db.inc.php',
  'conn.php',
  'connection.php',
  'config.php',
  'docker-compose.yml',
  'docker-compose.yaml',
  '.dockerenv',
  'kubeconfig',
  'terraform.tfstate',
  'credentials.json',
  'service-account.json',
  'serviceaccount.json',
  'firebase.json',
  '.travis.yml',
  'jenkins.xml',
  'credentials.xml',
]);

/** Log files: every server's access and error logs, which an LFI reads or poisons. */
export const LOG_FILE_NAME =
  /^(?:[\w-]{1,20}[._-])?(?:access|acces|error|xfer|ssl[._-]?(?:access|error|request)?|auth|login|license|stats|ftp|pure-ftpd|proftpd|vsftpd|cron|mysqld?|mysql-slow|mysql-bin|mysqlderror|boot|kern|mail|yum|dpkg|catalina|thttpd|main|panic|reject)(?:[._-][\w-]{1,20})?[._-]?logs?(?:\.\d{1,3}|\.old|\.gz|\.legacy)?$/;

/** Names that only count under a system root (common words elsewhere). */
const WORDS_UNDER_ROOT: ReadonlySet<string> = new Set([
  'hosts',
  'group',
  'issue',
  'motd',
  'messages',
  'secure',
  'environ',
  'cmdline',
  'credentials',
  'config',
  // NFS's table, and every site's data-export folder (`/exports/*` in a CloudFront policy)
  'exports',
]);

/** Cloud, container and orchestration credential locations (any depth). */
export const CREDENTIAL_PATH =
  /(?:^|\/)(?:\.aws\/(?:credentials|config)|\.azure\/(?:accesstokens\.json|azureprofile\.json|msal_token_cache)|\.config\/gcloud\/(?:credentials\.db|access_tokens\.db|application_default_credentials\.json|legacy_credentials)|\.kube\/config|\.docker\/config\.json|\.ssh\/[\w.-]{1,40}|var\/run\/secrets\/kubernetes\.io|run\/secrets\/[\w.-]{1,64}|app_data\/[\w.-]{1,64}\.(?:mdf|ldf|sdf|mdb|accdb|config|xml)|\.git\/(?:config|head|index|logs\/head)|web-inf\/(?:web\.xml|classes|lib|[\w.-]{1,40}\.(?:xml|properties))|meta-inf\/(?:context\.xml|manifest\.mf))(?:\/|$)/;

/** The file names of a path's segments that are sensitive wherever they sit. */
export function isSensitiveFileName(name: string): boolean {
  return SENSITIVE_FILE_NAMES.has(name) || LOG_FILE_NAME.test(name);
}

/** A word-like file name counts under a system root (`etc/hosts`, `proc/self/environ`). */
export function isSensitiveUnderRoot(name: string): boolean {
  return WORDS_UNDER_ROOT.has(name) || isSensitiveFileName(name);
}

/** Hidden credential files and private keys: requested by name in a URL path, they are a probe. */
export function isSecretFileName(name: string): boolean {
  return (name.startsWith('.') || name.startsWith('id_')) && SENSITIVE_FILE_NAMES.has(name);
}
