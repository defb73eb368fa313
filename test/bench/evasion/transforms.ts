/**
 * Evasion transforms, written here from public knowledge of how attack tools and testers disguise
 * a payload a WAF would see (sqlmap's tamper ideas, shell quoting and expansion tricks, traversal
 * encodings, browser-tolerated markup). Each one rewrites a payload that the engine detects in its
 * plain form; the probe (./report.ts) counts how many stay detected. None of them was written from
 * the engine's rules, and the engine's rules are never written from them: they measure how far the
 * decoding layer and the tokenizers generalise.
 *
 * A transform returns the text as it would reach the application after the transport's own
 * decoding (`text`), or, for the encoding tricks, the query-string bytes themselves (`wire`).
 */
export interface Evasion {
  readonly name: string;
  readonly classes: readonly string[];
  readonly kind: 'text' | 'wire';
  apply(payload: string): string;
}

const SQL_KEYWORDS =
  /\b(select|union|from|where|and|or|order|by|group|having|insert|into|values|update|set|delete|drop|table|sleep|benchmark|waitfor|delay|exec|execute|declare|cast|convert|char|concat|null|like|limit|information_schema|version|user|database|substring|ascii|case|when|then|else|end|if)\b/gi;

/** Alternating case on letters, as case-insensitive parsers accept and naive filters miss. */
function alternateCase(s: string): string {
  let count = 0;
  return s.replace(/[a-z]/gi, (c) => (count++ % 2 === 0 ? c.toUpperCase() : c.toLowerCase()));
}

/** Percent-encodes every byte of the UTF-8 form. */
function encodeAll(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/** Query-safe bytes of text, leaving `%` sequences a wire transform wrote untouched. */
export function wireOf(text: string): string {
  return text.replace(/[^A-Za-z0-9\-_.!~*'()%/,:@$;=?]/g, (c) => encodeAll(c)).replace(/%(?![0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, '%25');
}

/** A URL's host 127.0.0.1 or 169.254.169.254 written another way (only where it is the whole host). */
function inUrlHost(p: string, loopback: string, metadata: string): string {
  return p.replace(/(?<=:\/\/(?:[^/@\s]*@)?)(127\.0\.0\.1|169\.254\.169\.254)(?=[:/?#]|$)/g, (ip) => (ip === '127.0.0.1' ? loopback : metadata));
}

/** Command words where a shell reads them (not a PHP call's name, not an SSI directive). */
const SHELL_COMMANDS =
  /(?<![#\w])(cat|id|whoami|uname|ls|wget|curl|nc|netcat|bash|sh|ping|echo|sleep|passwd|ifconfig|ipconfig|net|dir|type|nslookup|perl|python|php|ruby|powershell|cmd|system|exec|eval)\b(?!\s*\()/g;

export const EVASIONS: readonly Evasion[] = [
  // SQL
  { name: 'sql.space2comment', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/ /g, '/**/') },
  { name: 'sql.space2newline', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/ /g, '\n') },
  { name: 'sql.space2tab', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/ /g, '\t') },
  { name: 'sql.space2vtab', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/ /g, '\x0b') },
  { name: 'sql.space2hash', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/ /g, '#qz\n') },
  { name: 'sql.space2dash', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/ /g, '--qz\n') },
  { name: 'sql.space2plus', classes: ['sqli'], kind: 'wire', apply: (p) => wireOf(p).replace(/%20/g, '+') },
  { name: 'sql.randomcase', classes: ['sqli'], kind: 'text', apply: alternateCase },
  { name: 'sql.versioned', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(SQL_KEYWORDS, '/*!$1*/') },
  { name: 'sql.versioned50000', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(SQL_KEYWORDS, '/*!50000$1*/') },
  { name: 'sql.inline-comment-keywords', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(SQL_KEYWORDS, (k) => `${k}/**/`) },
  { name: 'sql.comment-before-paren', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/\(/g, '/**/(') },
  { name: 'sql.symbolic-logical', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/\band\b/gi, '&&').replace(/\bor\b/gi, '||') },
  { name: 'sql.equal-to-like', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/=/g, ' LIKE ') },
  { name: 'sql.apostrophe-fullwidth', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/'/g, '\uff07') },
  { name: 'sql.apostrophe-null', classes: ['sqli'], kind: 'wire', apply: (p) => wireOf(p).replace(/'/g, '%00%27') },
  // ASP/IIS drops a `%` that starts no valid escape: `%S%E%L%E%C%T` reaches the application as
  // SELECT. sqlmap's tamper puts one before every character but spaces (an encoded character
  // keeps its escape after it: `%%27`).
  {
    name: 'sql.percentage',
    classes: ['sqli'],
    kind: 'wire',
    apply: (p) => wireOf(p).replace(/%[0-9a-f]{2}|[^%]/gi, (m) => (m === '%20' ? m : `%${m}`)),
  },
  // sqlmap's randomcomments: block comments inside keywords (`I/**/N/**/SERT`).
  {
    name: 'sql.in-word-comments',
    classes: ['sqli'],
    kind: 'text',
    apply: (p) => p.replace(SQL_KEYWORDS, (k) => (k.length > 2 ? `${k.slice(0, 1)}/**/${k.slice(1, -1)}/**/${k.slice(-1)}` : k)),
  },
  {
    name: 'sql.unicode-escape-iis',
    classes: ['sqli'],
    kind: 'wire',
    apply: (p) => [...p].map((c) => `%u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  },
  { name: 'encoding.double', classes: ['sqli', 'xss', 'cmdi', 'path_traversal', 'ssrf'], kind: 'wire', apply: (p) => encodeAll(encodeAll(p)) },
  { name: 'sql.between', classes: ['sqli'], kind: 'text', apply: (p) => p.replace(/>\s*(\d+)/g, ' NOT BETWEEN 0 AND $1') },
  // Shell
  { name: 'shell.ifs', classes: ['cmdi'], kind: 'text', apply: (p) => p.replace(/ /g, '${IFS}') },
  { name: 'shell.ifs9', classes: ['cmdi'], kind: 'text', apply: (p) => p.replace(/ /g, '$IFS$9') },
  { name: 'shell.tab', classes: ['cmdi'], kind: 'text', apply: (p) => p.replace(/ /g, '\t') },
  {
    name: 'shell.single-quotes',
    classes: ['cmdi'],
    kind: 'text',
    apply: (p) => p.replace(SHELL_COMMANDS, (c) => (c.length > 1 ? `${c[0]}'${c.slice(1)}'` : c)),
  },
  {
    name: 'shell.double-quotes',
    classes: ['cmdi'],
    kind: 'text',
    apply: (p) => p.replace(SHELL_COMMANDS, (c) => (c.length > 1 ? `${c[0]}""${c.slice(1)}` : c)),
  },
  { name: 'shell.backslash', classes: ['cmdi'], kind: 'text', apply: (p) => p.replace(SHELL_COMMANDS, (c) => (c.length > 1 ? `${c[0]}\\${c.slice(1)}` : c)) },
  { name: 'shell.dollar-at', classes: ['cmdi'], kind: 'text', apply: (p) => p.replace(SHELL_COMMANDS, (c) => (c.length > 1 ? `${c[0]}$@${c.slice(1)}` : c)) },
  { name: 'shell.caret', classes: ['cmdi'], kind: 'text', apply: (p) => p.replace(SHELL_COMMANDS, (c) => [...c].join('^')) },
  {
    name: 'shell.glob-paths',
    classes: ['cmdi'],
    kind: 'text',
    apply: (p) => p.replace(/\/(etc|bin|usr)\/([a-z]+)/g, (_, d: string, f: string) => `/${d[0]}?${d.slice(2)}/${f[0]}*${f.slice(-1)}`),
  },
  { name: 'shell.brace', classes: ['cmdi'], kind: 'text', apply: (p) => p.replace(/\b([a-z]+) (\/[\w/.-]+)/g, '{$1,$2}') },
  {
    name: 'shell.randomcase-windows',
    classes: ['cmdi'],
    kind: 'text',
    apply: (p) => (/\b(cmd|dir|type|ipconfig|net|powershell)\b/i.test(p) ? alternateCase(p) : p),
  },
  // Path traversal
  { name: 'path.encoded-slash', classes: ['path_traversal'], kind: 'wire', apply: (p) => wireOf(p).replace(/\.\.\//g, '..%2f') },
  { name: 'path.encoded-dots', classes: ['path_traversal'], kind: 'wire', apply: (p) => wireOf(p).replace(/\.\.\//g, '%2e%2e/') },
  { name: 'path.overlong-2', classes: ['path_traversal'], kind: 'wire', apply: (p) => wireOf(p).replace(/\.\.\//g, '..%c0%af') },
  { name: 'path.overlong-3', classes: ['path_traversal'], kind: 'wire', apply: (p) => wireOf(p).replace(/\.\.\//g, '..%e0%80%af') },
  { name: 'path.iis-unicode', classes: ['path_traversal'], kind: 'wire', apply: (p) => wireOf(p).replace(/\.\.\//g, '%u002e%u002e%u2215') },
  { name: 'path.double-slash-dot', classes: ['path_traversal'], kind: 'text', apply: (p) => p.replace(/\.\.\//g, '....//') },
  { name: 'path.backslash', classes: ['path_traversal'], kind: 'text', apply: (p) => p.replace(/\//g, '\\') },
  { name: 'path.dot-semicolon', classes: ['path_traversal'], kind: 'text', apply: (p) => p.replace(/\.\.\//g, '..;/') },
  { name: 'path.dot-slash-insert', classes: ['path_traversal'], kind: 'text', apply: (p) => p.replace(/\.\.\//g, '.././') },
  { name: 'path.double-encoded-slash', classes: ['path_traversal'], kind: 'wire', apply: (p) => wireOf(p).replace(/\.\.\//g, '..%252f') },
  {
    name: 'path.mixed-separators',
    classes: ['path_traversal'],
    kind: 'text',
    apply: (p) => p.replace(/\.\.\//g, (_, i: number) => (i % 2 === 0 ? '..\\' : '../')),
  },
  { name: 'path.null-suffix', classes: ['path_traversal'], kind: 'wire', apply: (p) => (/\.\.[/\\]/.test(p) ? `${wireOf(p)}%00.png` : wireOf(p)) },
  // Markup and script
  { name: 'xss.randomcase', classes: ['xss'], kind: 'text', apply: alternateCase },
  { name: 'xss.slash-for-space', classes: ['xss'], kind: 'text', apply: (p) => p.replace(/<([a-z]+) /gi, '<$1/') },
  { name: 'xss.newline-in-tag', classes: ['xss'], kind: 'text', apply: (p) => p.replace(/<([a-z]+) /gi, '<$1\n') },
  { name: 'xss.tab-in-scheme', classes: ['xss'], kind: 'text', apply: (p) => p.replace(/javascript:/gi, 'java\tscript:') },
  { name: 'xss.entity-scheme', classes: ['xss'], kind: 'text', apply: (p) => p.replace(/javascript:/gi, '&#x6A;avascript&colon;') },
  { name: 'xss.entity-decimal-padded', classes: ['xss'], kind: 'text', apply: (p) => p.replace(/alert\(/g, '&#0000097;lert(') },
  { name: 'xss.backtick-call', classes: ['xss'], kind: 'text', apply: (p) => p.replace(/alert\(([^()]*)\)/g, 'alert`$1`') },
  { name: 'xss.paren-call', classes: ['xss'], kind: 'text', apply: (p) => p.replace(/alert\(/g, '(alert)(') },
  { name: 'xss.bracket-call', classes: ['xss'], kind: 'text', apply: (p) => p.replace(/alert\(/g, "window['al'+'ert'](") },
  { name: 'xss.unicode-escape-name', classes: ['xss'], kind: 'text', apply: (p) => p.replace(/alert\(/g, '\\u0061lert(') },
  { name: 'xss.html-entity-all', classes: ['xss'], kind: 'text', apply: (p) => [...p].map((c) => `&#${c.charCodeAt(0)};`).join('') },
  // Request forgery
  { name: 'ssrf.decimal-ip', classes: ['ssrf'], kind: 'text', apply: (p) => inUrlHost(p, '2130706433', '2852039166') },
  { name: 'ssrf.hex-ip', classes: ['ssrf'], kind: 'text', apply: (p) => inUrlHost(p, '0x7f000001', '0xa9fea9fe') },
  { name: 'ssrf.octal-ip', classes: ['ssrf'], kind: 'text', apply: (p) => inUrlHost(p, '0177.0.0.01', '0251.0376.0251.0376') },
  { name: 'ssrf.short-ip', classes: ['ssrf'], kind: 'text', apply: (p) => inUrlHost(p, '127.1', '169.254.43518') },
  { name: 'ssrf.ipv6-mapped', classes: ['ssrf'], kind: 'text', apply: (p) => inUrlHost(p, '[::ffff:127.0.0.1]', '[::ffff:a9fe:a9fe]') },
  {
    name: 'ssrf.userinfo',
    classes: ['ssrf'],
    kind: 'text',
    apply: (p) => p.replace(/:\/\/(127\.0\.0\.1|localhost|169\.254\.169\.254)/g, '://trusted.example.com@$1'),
  },
  { name: 'ssrf.uppercase-scheme', classes: ['ssrf'], kind: 'text', apply: (p) => p.replace(/https?:\/\//g, (s) => s.toUpperCase()) },
];
