/**
 * CRLF injection and response splitting: a CR or LF inside a value (query, path, header, cookie,
 * form or JSON value) followed by what a server would then write as a header line or a new
 * response. A body's own line structure (multipart parts, batch requests, XML text) is no
 * injection: whole bodies and XML documents are not read here.
 */
import type { ReportRule, Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { matchRegexRules, type RegexRule } from './regex-rule';

/** Headers whose injection changes what the client does (cookies, redirects, framing, CORS, caching). */
const SENSITIVE_HEADERS =
  'set-cookie|location|refresh|content-(?:type|length|disposition|security-policy|encoding)|transfer-encoding|access-control-[\\w-]{1,40}|' +
  'x-xss-protection|x-frame-options|x-content-type-options|cache-control|expires|link|host|connection|upgrade|strict-transport-security|www-authenticate';
/** U+560A/U+560D: servers that keep only the low byte of each character turn them into LF/CR. */
const NEWLINE = '[\\r\\n\\u560a\\u560d]';

export const CRLF_RULES: readonly RegexRule[] = [
  {
    id: 920101,
    classification: 'CrlfInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'CrlfAnalyzer: header injection / response splitting',
    pattern: new RegExp(`${NEWLINE}[ \\t]{0,5}(?:${SENSITIVE_HEADERS}|x-[\\w-]{1,40})\\s{0,5}:|${NEWLINE}[ \\t]{0,5}http\\/[12](?:\\.[01])?\\s{1,5}\\d{3}\\b`),
  },
  {
    id: 920106,
    classification: 'CrlfInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'CrlfAnalyzer: e-mail header injection (a recipient, sender or subject line after a one-word value: an address, a name)',
    // The first line is one word (a form's address or name field), not prose or a pasted message.
    pattern: /^[^\s>-][^\s]{0,99}[\r\n\u560a\u560d]{1,2}[ \t]{0,5}(?:bcc|cc|to|from|reply-to|sender|subject|mime-version|content-transfer-encoding)[ \t]{0,5}:/,
  },
  {
    id: 920107,
    classification: 'CrlfInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'CrlfAnalyzer: SMTP, IMAP or Redis command after a line break (mail or cache server command injection)',
    // A Redis key or value the application writes in the inline protocol (a session or device id):
    // the line after the break is a command of its own. Its first line is one token, as an id is,
    // or a URL ending its request line (`http://127.0.0.1:6379/?q=1 HTTP/1.1`) for a fetcher to send.
    pattern:
      /[\r\n\u560a\u560d][ \t]{0,5}(?:rcpt[ \t]{1,5}to|mail[ \t]{1,5}from)[ \t]{0,5}:[ \t]{0,5}<|\r\n[a-z]{0,3}\d{1,6}[ \t]{1,5}(?:login|logout|select|examine|fetch|store|copy|delete|rename|capability|list|append|noop|uid|create|authenticate)\b|^(?:[^\s]{0,100}|[a-z][a-z0-9+.-]{0,20}:\/\/[^\s]{1,200}[ \t]{1,5}http\/\d(?:\.\d)?)\r?\n[ \t]{0,5}(?:flushall|flushdb|config[ \t]{1,5}(?:set|rewrite)|slaveof|replicaof|module[ \t]{1,5}load|shutdown|bgsave)\b/,
  },
];

/** Any header-like line: only where a newline has no business at all. */
const ANY_HEADER_RULE: Rule = {
  id: 920102,
  classification: 'CrlfInjection',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: 'CrlfAnalyzer: header line after a newline in a header, cookie, path or parameter name',
};
const PROBE_RULE: Rule = {
  id: 920103,
  classification: 'CrlfInjection',
  state: 'Reconnaissance',
  risk: 40,
  severity: 'critical',
  confidence: 'high',
  description: 'CrlfAnalyzer: bare line-break probe (a value of line breaks only, or one in the path)',
};
/**
 * A sign-in or identity field (a user name, login or e-mail address) with a line break and more
 * text after it: browsers strip line breaks from such inputs, so one there was written to forge a
 * line where the value is logged (`guest\r\n2024-05-14 09:12:01 INFO User admin logged in`) or
 * put in a mail header.
 */
const IDENTITY_FIELD_RULE: Rule = {
  id: 920108,
  classification: 'CrlfInjection',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: 'CrlfAnalyzer: line break and a further line in a user name, login or e-mail field (log forging, mail header injection)',
};
/**
 * A request, correlation or trace id header with a line break and more text after it: services log
 * these ids verbatim on every line, and an id is one token, so a further line there forges log
 * lines (`x-fapi-interaction-id: 93ba%0d%0a2024-06-11 INFO payment APPROVED`).
 */
const ID_HEADER_RULE: Rule = {
  id: 920109,
  classification: 'CrlfInjection',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: 'CrlfAnalyzer: line break and a further line in a request, correlation or trace id header (log forging)',
};
/**
 * A log record forged after a line break (`pageview%0d%0a[2024-05-14 10:00:00] ERROR db credentials
 * dumped`): the value's first line is one token, as the field's own value is, and the next opens as
 * a logger writes a record, a level in capitals, after a timestamp or alone. Text typed into a
 * multi-line field opens with words, and its lines seldom start with a logger's level.
 */
const FORGED_LOG_RULE: Rule = {
  id: 920110,
  classification: 'CrlfInjection',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: 'CrlfAnalyzer: log record forged after a line break in a one-token value (log forging)',
};
const FORGED_LOG_RECORD =
  /^[^\s]{0,100}[\r\n\u560a\u560d]{1,4}[ \t]{0,3}(?:\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?:[zZ]|[+-]\d{2}:?\d{2})?\]?[ \t]{1,5})?\[?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL|SEVERE|ALERT|EMERG)\]?(?:[ \t]|:)/;

/**
 * Terminal control sequences in a field's value: they move the cursor, erase the screen or a line,
 * or set the window title, a hyperlink or the clipboard (OSC), so a log read in a terminal
 * (`tail`, `journalctl`, `kubectl logs`) shows a line other than the one written, or hides the
 * attack's own. CI logs and notebook outputs carry colours (`ESC[32m`) and erase to the line's end
 * (`ESC[0K`), and a long log may redraw progress bars; a short value has no reason to do either.
 */
const TERMINAL_CONTROL_RULE: Rule = {
  id: 920111,
  classification: 'CrlfInjection',
  state: 'Exploitation',
  risk: 55,
  severity: 'critical',
  confidence: 'high',
  description: 'CrlfAnalyzer: terminal control sequence (cursor movement, erase, OSC title or hyperlink) in a short value (log viewer tampering)',
};
const TERMINAL_CONTROL = /\u001b(?:\[[0-9;]{0,12}[A-HJSTfsu]|\[[12]K|\]\d{1,2};|[78c])/;
/** A field's value, not a log or a document that may redraw a progress bar: short, few lines. */
const MAX_TERMINAL_VALUE = 1024;
const LINE_BREAKS = /[\r\n]/g;

/** An id header's name; a vendor's prefix (`x-amzn-`, `x-b3-`, `x-cloud-`) is any word before the kind. */
const ID_HEADER = /^(?:x-)?(?:[\w-]{0,40}-)?(?:request|correlation|interaction|trace|transaction|message)-?id$/;
/** The last part of a parameter's name (`user.email`, `login[username]`) naming a sign-in identity. */
const IDENTITY_FIELD = /(?:^|[._[-])(?:user_?name|username|user|login|log_?in|e-?mail|mail|account_?name|user_?id|uid)\]?$/;
const IDENTITY_LOCATIONS: ReadonlySet<string> = new Set(['query', 'body_form', 'body_json', 'body_multipart']);
const FURTHER_LINE = /[\r\n\u560a\u560d][ \t\r\n]{0,8}\S/;
/**
 * The last part of a parameter's name naming a mail's subject (`subject`, `asunto`, `betreff`, …)
 * or its sender's display name (`from_name`, `senderName`): a single-line input, which browsers
 * strip of line breaks, that mailers put in the Subject or From header. A recipient or sender line
 * after a break there is written for the mailer, whatever the first line holds (920106 alone wants
 * a one-word first line, as prose has recipient lines too).
 */
const SUBJECT_FIELD =
  /(?:^|[._[-])(?:subject|asunto|betreff|sujet|objet|oggetto|assunto|onderwerp|temat|emne|ämne|aihe|(?:from|sender|reply[-_]?to)[-_]?(?:display[-_]?)?name)\]?$/;
const MAIL_HEADER_LINE = /[\r\n\u560a\u560d][ \t]{0,5}(?:bcc|cc|to|from|reply-to|sender|content-type|mime-version)[ \t]{0,5}:/;
const MAIL_HEADER_RULE = CRLF_RULES.find((rule) => rule.id === 920106)!;

const ANY_HEADER_LINE = new RegExp(`${NEWLINE}[ \\t]{0,5}[a-z][\\w-]{1,60}[ \\t]{0,5}:[ \\t]{0,5}\\S`);
/** Line breaks, their escapes and leftovers of nested encodings (`%0%0d%0ad`), nothing else. */
const PROBE_LEFTOVER = /[\r\n\u560a\u560d]|\\[rn]|%0[ad]?|%[ad]\b/g;

/**
 * Locations where a line break never belongs to the value (headers, cookies, the path, names).
 * Query values can be text typed in a form sent by GET, which has lines ("City: Springfield").
 */
const LINE_FREE: ReadonlySet<string> = new Set(['path', 'query_name', 'header', 'cookie', 'cookie_name', 'body_form_name']);
/** Whole bodies and documents carry their own lines. */
const NOT_VALUES: ReadonlySet<string> = new Set(['body', 'xml_document', 'body_xml']);

const CARRIAGE_RETURN = /\r|\u560d|\\r|%0d/;

/**
 * Nothing but line breaks (with a carriage return: typed text breaks lines with LF alone, and
 * whitespace-only text has tabs and spaces too), or a path holding one: probes for splitting.
 */
function isProbe(v: InspectedValue): boolean {
  const lower = v.lower;
  if (!CARRIAGE_RETURN.test(lower)) return false;
  if (v.location === 'path') return true;
  return lower.length <= 48 && lower.replace(PROBE_LEFTOVER, '').length <= 2;
}

/**
 * `Č` then `Ċ` (U+010D U+010A, case kept) before a header line: Node's HTTP client once wrote a
 * path's characters as latin1, keeping each one's low byte, so the pair became CR LF and the
 * request was split (`/status čĊHost:Ġ127.0.0.1`, U+0120 a space). Czech and Maltese text never
 * puts the two together.
 */
const LOW_BYTE_HEADER_LINE = new RegExp(`\u010d\u010a[ \\t\u0120]{0,5}(?:${SENSITIVE_HEADERS}|x-[\\w-]{1,40})[ \\t\u0120]{0,5}:`, 'i');
const HEADER_INJECTION_RULE = CRLF_RULES.find((rule) => rule.id === 920101)!;

const PREFILTER = /[\r\n\u560a\u560d\u001b]|\\[rn]|\u010d\u010b/;

export const crlfInjectionPack: RulePack = {
  name: 'crlf',
  classification: 'CrlfInjection',
  rules: [...CRLF_RULES, ANY_HEADER_RULE, PROBE_RULE, IDENTITY_FIELD_RULE, ID_HEADER_RULE, FORGED_LOG_RULE, TERMINAL_CONTROL_RULE],
  skip: (v: InspectedValue) => NOT_VALUES.has(v.location),
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v: InspectedValue, report: ReportRule) => {
    matchRegexRules(CRLF_RULES, v, report);
    if (LINE_FREE.has(v.location) && ANY_HEADER_LINE.test(v.lower)) report(ANY_HEADER_RULE);
    if (isProbe(v)) report(PROBE_RULE);
    if (IDENTITY_LOCATIONS.has(v.location) && IDENTITY_FIELD.test(v.lowerName) && FURTHER_LINE.test(v.lower)) report(IDENTITY_FIELD_RULE);
    if (v.location === 'header' && ID_HEADER.test(v.lowerName) && FURTHER_LINE.test(v.lower)) report(ID_HEADER_RULE);
    if (IDENTITY_LOCATIONS.has(v.location) && SUBJECT_FIELD.test(v.lowerName) && MAIL_HEADER_LINE.test(v.lower)) report(MAIL_HEADER_RULE);
    if (FORGED_LOG_RECORD.test(v.decoded)) report(FORGED_LOG_RULE);
    if (v.decoded.indexOf('\u010d\u010a') >= 0 && LOW_BYTE_HEADER_LINE.test(v.decoded)) report(HEADER_INJECTION_RULE);
    if (v.decoded.length <= MAX_TERMINAL_VALUE && TERMINAL_CONTROL.test(v.decoded) && (v.decoded.match(LINE_BREAKS)?.length ?? 0) <= 3)
      report(TERMINAL_CONTROL_RULE);
  },
};
