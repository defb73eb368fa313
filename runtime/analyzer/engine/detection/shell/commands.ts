/**
 * Fact lists: the commands attackers run first on Unix, Windows cmd and PowerShell. "Distinctive"
 * commands are not English words, so a separator or substitution in front of one is enough;
 * "word-like" commands (cat, type, set, ...) are everyday words and need an argument that only a
 * command takes (a path, a flag, an address) before they count.
 */
export const DISTINCTIVE_COMMANDS: ReadonlySet<string> = new Set([
  // Unix: identity, system and network reconnaissance
  'whoami', 'uname', 'ifconfig', 'ipconfig', 'netstat', 'nslookup', 'hostname', 'getent', 'lsb_release', 'printenv',
  'systeminfo', 'tasklist', 'taskkill', 'wmic', 'nltest', 'qwinsta', 'quser', 'arp', 'route', 'traceroute', 'tracert',
  'dig', 'ss', 'lsof', 'ps', 'pwd', 'id', 'ls', 'dir', 'env', 'w', 'last', 'groups', 'getfacl', 'lsattr', 'uptime',
  // file reading / writing tools with no English meaning
  'xxd', 'od', 'hexdump', 'base64', 'base32', 'strings', 'nl', 'tac', 'awk', 'gawk', 'sed', 'grep', 'egrep', 'fgrep',
  'chmod', 'chown', 'chattr', 'mkfifo', 'mknod', 'touch', 'rm', 'rmdir', 'mkdir', 'cp', 'mv', 'ln', 'dd', 'tee',
  'tar', 'gzip', 'gunzip', 'zip', 'unzip', 'crontab', 'useradd', 'usermod', 'passwd', 'sudo', 'su', 'chroot', 'nohup',
  'setsid', 'kill', 'killall', 'pkill', 'shutdown', 'reboot', 'halt', 'insmod', 'modprobe', 'iptables', 'systemctl',
  // fetchers and network tools
  'wget', 'curl', 'nc', 'ncat', 'netcat', 'telnet', 'socat', 'tftp', 'ftp', 'ssh', 'scp', 'rsync', 'lynx', 'fetch',
  'ping', 'ping6', 'nmap', 'openssl', 'busybox',
  // shells and interpreters
  'sh', 'bash', 'dash', 'zsh', 'ksh', 'csh', 'tcsh', 'ash', 'fish', 'cmd', 'command', 'powershell', 'pwsh',
  'python', 'python2', 'python3', 'perl', 'ruby', 'php', 'node', 'nodejs', 'lua', 'java', 'jrunscript', 'gdb', 'awk',
  'xterm', 'expect', 'eval', 'exec', 'sleep', 'timeout', 'usleep',
  // Windows living-off-the-land binaries
  'certutil', 'bitsadmin', 'mshta', 'rundll32', 'regsvr32', 'cscript', 'wscript', 'schtasks', 'reg', 'sc', 'net',
  'net1', 'nbtstat', 'icacls', 'cacls', 'attrib', 'findstr', 'vssadmin', 'wevtutil', 'msiexec', 'forfiles',
  'powercat', 'invoke-expression', 'iex', 'invoke-webrequest', 'iwr', 'invoke-restmethod', 'irm', 'start-process',
  'new-object', 'get-process', 'get-childitem', 'get-content', 'gci', 'gc', 'set-content', 'out-file', 'get-wmiobject',
  'gwmi', 'get-ciminstance', 'get-service', 'get-localuser', 'test-connection', 'test-netconnection', 'resolve-dnsname',
  'get-acl', 'get-itemproperty', 'get-host', 'get-date',
]);

/** Everyday words that are also commands: they need a command-shaped argument. */
export const WORD_COMMANDS: ReadonlySet<string> = new Set([
  'cat', 'more', 'less', 'head', 'tail', 'type', 'echo', 'print', 'printf', 'set', 'find', 'sort', 'cut', 'file', 'host',
  'who', 'which', 'where', 'whereis', 'locate', 'time', 'date', 'ver', 'vol', 'copy', 'move', 'del', 'erase', 'ren',
  'rename', 'start', 'call', 'cd', 'chdir', 'pushd', 'popd', 'mount', 'df', 'du', 'free', 'top', 'watch', 'test',
  'diff', 'split', 'join', 'wc', 'uniq', 'rev', 'yes', 'true', 'false', 'exit', 'logout', 'mail', 'write', 'wall',
  'finger', 'xdg-open', 'export', 'alias', 'unset',
]);

/**
 * Commands that are a complete probe on their own (`;id;`, `|whoami`): the others need arguments
 * before a lone name between delimiters counts (`|fetch|` is a telemetry field, not a command).
 */
export const PROBE_COMMANDS: ReadonlySet<string> = new Set([
  'id', 'whoami', 'uname', 'ls', 'dir', 'pwd', 'ifconfig', 'ipconfig', 'netstat', 'ps', 'env', 'set', 'ver', 'hostname',
  'systeminfo', 'tasklist', 'printenv', 'getuid', 'groups', 'uptime', 'w', 'lsb_release', 'route', 'arp', 'quser', 'qwinsta',
]);

/** Paths and prefixes commands are run by: `/usr/bin/id`, `c:\windows\system32\cmd.exe`. */
export const COMMAND_PATH = /^(?:\/(?:usr\/)?(?:local\/)?s?bin\/|\/system\/bin\/|[a-z]:\/(?:windows\/)?(?:system32\/|syswow64\/)?(?:windowspowershell\/v1\.0\/)?)/;
