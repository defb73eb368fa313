/**
 * What a successful attack leaves in a response: the content of files an attacker should not be
 * able to read, and the error messages of the interpreter the payload reached (database,
 * template engine, shell). Patterns are linear (bounded quantifiers; checked with recheck in the
 * tests) and written for the lower-cased body.
 */
import { SQL_ERRORS } from '../response-patterns';
import { anyOf, type BodyText, type LiteralNeeds } from '../text-index';

export interface OutcomeSignature {
  /** Stable key ("passwd", "win_ini", "db:MySQL"). */
  readonly kind: string;
  /** What the response shows ("/etc/passwd"). */
  readonly name: string;
  readonly pattern: RegExp;
  /** Proof on its own (a system file); weaker kinds also need a baseline that lacks them. */
  readonly strong: boolean;
  /** Literals the pattern cannot match without (see ../text-index). */
  readonly needs: LiteralNeeds;
}

export const FILE_SIGNATURES: readonly OutcomeSignature[] = [
  {
    kind: 'passwd',
    needs: [
      ['root:', ':0:0:'],
      ['daemon:', ':1:1:'],
      ['nobody:', ':65534:'],
    ],
    name: '/etc/passwd',
    strong: true,
    pattern: /\broot:[x*!]?:0:0:|\bdaemon:[x*]:1:1:|\bnobody:[x*]:65534:/,
  },
  { kind: 'shadow', needs: [['root:', ':0000']], name: '/etc/shadow', strong: true, pattern: /\broot:(?:\$[0-9a-z]{1,8}\$[^:\n]{1,200}|[*!]{1,2}):\d{4,6}:/ },
  {
    kind: 'win_ini',
    needs: [['; for 16-bit app support'], ['[mci extensions]'], ['[fonts]', '[extensions]']],
    name: 'win.ini',
    strong: true,
    pattern: /; for 16-bit app support|\[mci extensions\]|\[fonts\]\s{0,4}\[extensions\]/,
  },
  {
    kind: 'boot_ini',
    needs: [['[boot loader]', 'timeout='], ['[operating systems]']],
    name: 'boot.ini',
    strong: true,
    pattern: /\[boot loader\]\s{0,4}timeout=|\[operating systems\]/,
  },
  {
    kind: 'proc_environ',
    needs: [
      ['\u0000', 'path='],
      ['\u0000', 'home='],
      ['\u0000', 'hostname='],
      ['\u0000', 'pwd='],
    ],
    name: 'a process environment (/proc/self/environ)',
    strong: true,
    pattern: /\b(?:path|home|hostname|pwd)=[^\u0000\n]{1,300}\u0000[a-z_][a-z0-9_]{0,60}=/,
  },
  {
    kind: 'private_key',
    needs: [['-----begin ', 'private key']],
    name: 'a private key',
    strong: true,
    pattern: /-----begin (?:(?:rsa|ec|dsa|openssh|encrypted|pgp) )?private key(?: block)?-----/,
  },
  {
    kind: 'web_xml',
    needs: anyOf('<web-app'),
    name: 'a Java web.xml deployment descriptor',
    strong: true,
    pattern: /<web-app[\s>][^]{0,2000}<(?:servlet|filter|display-name|context-param)>/,
  },
  {
    kind: 'htpasswd',
    needs: anyOf(':$apr1$', ':$2a$', ':$2b$', ':$2y$', ':{sha}'),
    name: 'an Apache password file',
    strong: true,
    pattern: /(?:^|\n)[a-z0-9._-]{1,64}:(?:\$apr1\$|\$2[aby]\$\d\d\$|\{sha\})/,
  },
  {
    kind: 'env_file',
    needs: anyOf('db_', 'database_', 'app_', 'aws_', 'secret_', 'session_', 'redis_', 'mail_', 'jwt_'),
    name: 'an environment file (.env)',
    strong: false,
    pattern: /(?:^|\n)(?:db|database|app|aws|secret|session|redis|mail|jwt)_[a-z0-9_]{1,60}=[^\n]{0,300}\n[a-z][a-z0-9_]{1,60}=/,
  },
  {
    kind: 'package_manifest',
    needs: [
      ['"name"', 'dependencies"'],
      ['"name"', '"require"'],
    ],
    name: 'a package manifest (package.json, composer.json)',
    strong: false,
    pattern: /"name"\s{0,3}:\s{0,3}"[^"\n]{1,200}"[^]{0,4000}"(?:dependencies|devdependencies|require)"\s{0,3}:\s{0,3}\{/,
  },
  {
    kind: 'config_file',
    needs: [['[mysqld]'], ['<connectionstrings>'], ['spring.datasource.'], ['define(', 'db_'], ['db_password'], ['databases']],
    name: 'an application configuration file',
    strong: false,
    pattern:
      /\[mysqld\]|<connectionstrings>|spring\.datasource\.(?:url|password)|define\(\s{0,3}['"]db_(?:password|user|name)['"]|\bdb_password\s{0,3}[=:]|databases\s{0,3}=\s{0,3}\{/,
  },
  {
    kind: 'database_dump',
    needs: anyOf('-- mysql dump', '-- postgresql database dump', '-- mariadb dump', 'create table '),
    name: 'a database dump',
    strong: false,
    pattern: /-- (?:mysql|postgresql database|mariadb) dump|\bcreate table [`"[]?[a-z_][a-z0-9_]{0,60}[`"\]]?\s{0,3}\(/,
  },
  {
    kind: 'source_code',
    needs: [
      ['<?php'],
      ['<%@', 'page'],
      ['from ', ' import '],
      ['import os'],
      ['import sys'],
      ['import flask'],
      ['import django'],
      ['package '],
      ['using system;'],
      ['require('],
    ],
    name: 'server-side source code',
    strong: false,
    pattern:
      /<\?php\b|<%@\s{0,5}page\b|(?:^|\n)(?:from [a-z_][a-z0-9_.]{0,100} import |import (?:os|sys|flask|django)\b|package [a-z_][a-z0-9_.]{0,100};|using system;)|\brequire\(\s{0,3}['"](?:express|fs|path|child_process|mysql2?|pg|sequelize|mongoose)['"]\s{0,3}\)/,
  },
];

const TEMPLATE_ERRORS: readonly OutcomeSignature[] = [
  {
    kind: 'template',
    needs: [
      ['jinja2.exceptions.'],
      ['templatesyntaxerror'],
      ['twig_error_syntax'],
      ['twig\\error\\'],
      ['freemarker.core.', 'exception'],
      ['freemarker template error'],
      ['org.apache.velocity.exception'],
      ['org.thymeleaf.exceptions'],
      ['mako.exceptions'],
      ['smartycompilerexception'],
      ['smarty error:'],
      ['liquid syntax error'],
      ['template render error'],
      ['template: '],
      ['parse error on line ', 'expecting'],
    ],
    name: 'a template engine error',
    strong: true,
    pattern:
      /jinja2\.exceptions\.|templatesyntaxerror|twig(?:_error_syntax|\\error\\)|freemarker\.core\.[a-z]{1,40}exception|freemarker template error|org\.apache\.velocity\.exception|org\.thymeleaf\.exceptions|mako\.exceptions|smartycompilerexception|smarty error:|liquid syntax error|template render error|\btemplate: [a-z0-9_.-]{1,100}:\d{1,6}: (?:unexpected|function "[^"\n]{1,60}" not defined)|parse error on line \d{1,6}:[^\n]{0,200}\n[^\n]{0,200}\n[^\n]{0,200}expecting/,
  },
];

const SHELL_ERRORS: readonly OutcomeSignature[] = [
  {
    kind: 'shell',
    needs: anyOf(
      'sh: ',
      'syntax error near unexpected token',
      'unexpected eof while looking for matching',
      'is not recognized as an internal or external command',
      'is not recognized as the name of a cmdlet',
    ),
    name: 'a shell error',
    strong: true,
    pattern:
      /(?:^|\n|>)(?:\/bin\/)?(?:ba|da|z)?sh: (?:\d{1,6}: |line \d{1,6}: )?[^\n]{0,200}(?:not found|syntax error|unexpected|unterminated quoted string|bad substitution)|syntax error near unexpected token|unexpected eof while looking for matching|is not recognized as an internal or external command|is not recognized as the name of a cmdlet/,
  },
];

const DATABASE_ERRORS: readonly OutcomeSignature[] = SQL_ERRORS.map((s) => ({
  kind: `db:${s.name}`,
  name: `a ${s.name} database error`,
  strong: true,
  pattern: s.pattern,
  needs: s.needs,
}));

/** Error signatures per injection family, and the attack classes whose payload reaches it. */
export const ERROR_FAMILIES = [
  {
    family: 'database',
    classes: ['SqlInjection'],
    signatures: DATABASE_ERRORS,
    finding: { class: 'sql_injection', cwe: 'CWE-89', title: 'SQL injection: the injected SQL caused a database error' },
  },
  {
    family: 'template',
    classes: ['TemplateInjection'],
    signatures: TEMPLATE_ERRORS,
    finding: { class: 'template_injection', cwe: 'CWE-1336', title: 'Server-side template injection: the injected expression caused a template error' },
  },
  {
    family: 'shell',
    classes: ['CommandInjection', 'Shellshock'],
    signatures: SHELL_ERRORS,
    finding: { class: 'command_injection', cwe: 'CWE-78', title: 'Command injection: the injected input caused a shell error' },
  },
] as const;

/** One pass that rules out most bodies before any signature runs. */
export const OUTCOME_PREFILTER =
  /root:|daemon:|nobody:|16-bit|\[mci|\[fonts|\[boot|operating systems|\u0000|private key|<web-app|\$apr1\$|\$2[aby]\$|\{sha\}|_[a-z0-9_]{1,60}=|"name"|mysqld|connectionstrings|datasource|db_|databases|dump|create table|<\?php|<%@|import|package |using system|require\(|sql|maria|postgres|psql|pg_|ora-\d|oracle|sqlite|syntax|oci_|quotation mark|db2|sybase|jet database|odbc|pdoexception|hibernate|unrecognized token|quoted string|unknown column|input syntax|jinja2|twig|freemarker|velocity|thymeleaf|mako|smarty|liquid|template|parse error|sh: |unexpected|not recognized/;

const ALL_SIGNATURES: readonly OutcomeSignature[] = [...FILE_SIGNATURES, ...ERROR_FAMILIES.flatMap((f) => f.signatures)];

/**
 * Every signature kind a body shows. Signatures whose literals the body's index rules out are not
 * run, and when none is left the body is not even lower-cased (most bodies).
 */
export function signatureKinds(body: BodyText): Set<string> {
  const kinds = new Set<string>();
  const candidates = ALL_SIGNATURES.filter((s) => body.index.mayMatch(s.needs));
  if (candidates.length === 0) return kinds;
  const lower = body.lower;
  if (!OUTCOME_PREFILTER.test(lower)) return kinds;
  for (const s of candidates) if (s.pattern.test(lower)) kinds.add(s.kind);
  return kinds;
}
