/**
 * NoSQL injection (MongoDB, CouchDB and other JSON-query stores): query operators and aggregation
 * stages smuggled into user input (as keys, bracketed parameter names or object text), string
 * break-outs that add operator keys, server-side JavaScript (`$where`, `this.x.match(...)`,
 * statements after a break-out, busy-wait loops), and CouchDB's administration endpoints and
 * role grants.
 */
import type { ReportRule, Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { matchRegexRules, type RegexRule } from './regex-rule';

/**
 * Operators no filter API hands its clients, and aggregation stages that read other collections,
 * write or run code: input that names one reaches the database's own query language.
 */
const ALWAYS = 'where|function|accumulator|jsonschema|lookup|graphlookup|unionwith|out|merge';
/**
 * Operators that change a condition's logic (`$ne`, `$gt`, `$or`, ...): filter APIs such as Strapi,
 * Parse and CouchDB's Mango take them on purpose, under a filter parameter. Parse's clients search
 * with `$regex` there too (`where={"title":{"$regex":"^Linen"}}`); on a secret field or outside
 * a filter parameter it is the classic bypass (`password[$regex]=.*`).
 */
const LOGIC = 'ne|nin|not|nor|or|and|exists|type|mod|eq|gt|gte|lt|lte|in|all|size|elemmatch|text|comment|regex|expr';
const OPERATORS = `${ALWAYS}|${LOGIC}`;
const ALWAYS_SET: ReadonlySet<string> = new Set(ALWAYS.split('|'));

const OPERATOR_RULE: Rule = {
  id: 900101,
  classification: 'NoSqlInjection',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description: 'NoSqlAnalyzer: query operator or aggregation stage in user input',
};
const FILTER_OPERATOR_RULE: Rule = {
  id: 900105,
  classification: 'NoSqlInjection',
  state: 'Exploitation',
  risk: 40,
  severity: 'warning',
  confidence: 'high',
  description: 'NoSqlAnalyzer: comparison or logical operator under a filter parameter (filters[price][$gte]: a filter API, or a widened condition)',
};

export const NOSQLI_RULES: readonly RegexRule[] = [
  {
    id: 900102,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'NoSqlAnalyzer: server-side JavaScript in a query',
    pattern:
      /\$where\b|['"];\s{0,5}return\s{1,5}(?:true|1|this\.)|\bsleep\s{0,5}\(\s{0,5}\d{3,6}\s{0,5}\)\s{0,5};?\s{0,5}return\b|\bdb\.[\w$]{1,64}\.(?:find|drop|remove|insert|update|mapreduce|aggregate)\s{0,5}\(|\bdb\.(?:getsiblingdb|getcollectionnames|getcollectioninfos|getcollection|getmongo|admincommand|runcommand|dropdatabase|getusers|eval)\s{0,5}\(|\bthis\.[\w$]{1,64}\.match\s{0,5}\(|(?:^|['"\d])\s{0,5}(?:&&|\|\|)\s{0,5}this\.[\w$]/,
    needs: ['$where', 'return', 'db.', 'this.'],
  },
  {
    id: 900103,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'NoSqlAnalyzer: string break-out that adds a query operator key',
    pattern: new RegExp(
      String.raw`['"]\s{0,10}[}\]]{0,3}\s{0,10}(?:[}\]]\s{0,10})?,\s{0,10}['"]?\$(?:${OPERATORS})['"]?\s{0,10}:|^[\w.-]{0,20}\s{0,5},\s{0,10}\$(?:${OPERATORS})\s{0,10}:`,
    ),
  },
  {
    id: 900104,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'NoSqlAnalyzer: JavaScript tautology, statement or busy-wait after a break-out',
    // `|| 1==1`: JavaScript's == (SQL has no ==); `' || true` only after a quote (a shell line's
    // `cmd || true` ignores a failure); a Date loop is the $where time delay; a loop, a
    // declaration or a sleep after `';` on the same line is a statement spliced into a $where
    // string (a line break there is a source file's layout: `require('x');` then `const y = …`).
    pattern:
      /(?:^|['"\s])(?:\|\||&&)\s{0,5}(?:\d{1,10}\s{0,5}===?\s{0,5}\d{1,10}|'[^']{0,20}'\s{0,5}===?\s{0,5}'|"[^"]{0,20}"\s{0,5}===?\s{0,5}")|(?:^|['"])\s{0,5}(?:\|\||&&)\s{0,5}true\b|;\s{0,5}(?:var|let|const)\s{1,5}[\w$]{1,30}\s{0,5}=\s{0,5}new\s{1,5}date\s{0,5}\(|\bdo\s{0,5}\{[^}]{0,80}new\s{1,5}date\s{0,5}\(|(?:['"]|^\d{1,10})\s{0,5}\)?[ \t]{0,5};[ \t]{0,5}(?:while\s{0,5}\(|for\s{0,5}\(\s{0,5}(?:;|(?:var|let)\s)|do\s{0,5}\{|(?:var|let|const)\s{1,5}[\w$]{1,30}\s{0,5}=|sleep\s{0,5}\(\s{0,5}\d)/,
  },
  {
    id: 900106,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description:
      'NoSqlAnalyzer: CouchDB user document granting the server-admin role "_admin" (CVE-2017-12635: a repeated "roles" key passes validation), or a query-server or daemon configuration path (CVE-2017-12636: command execution)',
    pattern:
      /"roles"\s{0,10}:\s{0,10}\[[^\]]{0,200}"_admin"|(?:^|\/)_config\/(?:query_servers|native_query_servers|os_daemons|daemons|httpd_global_handlers)\b/,
  },
  {
    id: 900109,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: "NoSqlAnalyzer: parent step from a document id to a CouchDB administration endpoint (every user's document, every database)",
    pattern: /(?:^|\/)\.\.\/(?:[^/]{1,64}\/)?(?:_all_dbs|_users\/(?:_all_docs|_find|_changes)|_config|_membership)\b/,
  },
];

const JSON_BREAKOUT_RULE: RegexRule = {
  id: 900108,
  classification: 'NoSqlInjection',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description: "NoSqlAnalyzer: string break-out that closes the JSON the server builds around it and adds members (a search query's script or clauses, a role)",
  // `shoe"}},{"script":…`, `bob","role":"admin`: the value's first quote ends the string it was
  // spliced into, then brackets close, a comma and a quoted key follow. A value that is JSON
  // itself starts with a bracket; text quotes open before they close. Only a JSON string's
  // value: raw JSON sent in a query or a form body is cut into such pieces at each `&`.
  pattern: /^[^"{}[\]]{0,200}"\s{0,10}[}\]]{0,6}\s{0,10},\s{0,10}[{[]{0,3}\s{0,10}"[\w$.-]{1,40}"\s{0,10}:/,
};

/**
 * CouchDB's administration and enumeration endpoints: every database, every user document
 * (password hashes), the server configuration, the cluster. A CouchDB serves them to its admins
 * (Fauxton reads them), so a request for one is weak evidence on its own.
 */
const COUCHDB_ADMIN_RULE: RegexRule = {
  id: 900107,
  classification: 'NoSqlInjection',
  state: 'Reconnaissance',
  risk: 45,
  severity: 'warning',
  confidence: 'high',
  description: 'NoSqlAnalyzer: CouchDB administration endpoint (/_all_dbs, /_users/_all_docs, /_config, /_membership): enumeration of an exposed CouchDB',
  pattern: /(?:^|\/)(?:_all_dbs|_users\/(?:_all_docs|_find|_changes)|_config|_node\/[^/]{1,64}\/_config|_membership|_active_tasks|_cluster_setup)(?:\/|$)/,
};

/**
 * Where operators sit: `{"$gt":` or `{$gt:` in text, `[$gt]` in a name (or text), a whole value or
 * JSON key `$gt`, and `$or: [` with neither brace nor quote before it. Exported for the ReDoS check.
 */
export const OPERATOR_SYNTAX = {
  object: new RegExp(String.raw`\{\s{0,10}['"]?\$(${OPERATORS})['"]?\s{0,10}:`, 'g'),
  bracket: new RegExp(String.raw`\[\s{0,5}\$(${OPERATORS})\s{0,5}\]`, 'g'),
  whole: new RegExp(String.raw`^\$(${OPERATORS})$`),
  list: /\$(?:or|nor)['"]?\s{0,10}:\s{0,10}\[/,
};
/** A condition every document meets: its `_id` exists, is not null or empty, or is greater than nothing. */
const ALWAYS_TRUE_BRANCH =
  /['"]_id['"]\s{0,10}:\s{0,10}\{\s{0,10}['"]\$(?:exists['"]\s{0,10}:\s{0,10}(?:true|1)|ne['"]\s{0,10}:\s{0,10}(?:null|['"]{2})|gte?['"]\s{0,10}:\s{0,10}(?:null|['"]{2}))/;
/** A JSON key `$name` with an underscore in the name: no MongoDB operator is spelled so. */
const OWN_DOLLAR_KEY = /['"]\$[a-z]{1,30}_[a-z0-9_]{1,30}['"]\s{0,10}:/;
/**
 * Parameters that hold a filter by design: operators under them are the API's own syntax. An
 * aggregation `pipeline` a reporting API or MongoDB's Data API takes is one too: its `$match`
 * compares (`$in`, `$gte`, `$expr` over two fields); the stages that read other collections, write
 * or run code are ALWAYS operators.
 */
const FILTER_NAMESPACE = /^(?:filters?|where|criteria|conditions?|selector|query|pipeline)$/;
/** Fields no filter compares: an operator on one is a login, reset or invitation bypass. */
const SECRET_FIELD =
  /^(?:pass(?:word|wd|code|phrase)?|pwd|pw|secret|otp|pin|(?:\w{1,20}_)?token|api_?key|hash|salt|(?:invite|invitation|reset|verification|verify|confirmation|activation|recovery|otp|auth|access|promo|coupon|voucher|referral)_?code)$/;
/**
 * A secret field read as an expression's operand (`{"$substrCP": ["$apiKey", 0, 3]}` under `$expr`):
 * a filter that compares a secret piece by piece, an oracle for it whatever parameter holds it.
 */
const SECRET_REFERENCE = new RegExp(String.raw`["']\$(?:\w{1,40}\.){0,4}${SECRET_FIELD.source.slice(1, -1)}["']`);
/** The same reference as a JSON body's string of its own, under `$expr` in its path. */
const SECRET_OPERAND = new RegExp(String.raw`^\$(?:\w{1,40}\.){0,4}${SECRET_FIELD.source.slice(1, -1)}$`);
/** Characters looked at before an operator for the name or key it applies to. */
const LOOK_BEHIND = 256;
const NAME_CHAR = /[\w.$[\]-]/;
const KEY_CHAR = /[\w.$-]/;

/** The segments of a name or path (`filters[price][$gte]`, `filter.total`), brackets and dots removed. */
function segmentsOf(name: string): string[] {
  return name.split(/[.[\]]+/).filter((s) => s !== '' && s !== '$');
}

/** The name written right before `end` (`filters[price]` before `[$gte]`). */
function nameBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && end - start < LOOK_BEHIND && NAME_CHAR.test(text[start - 1]!)) start--;
  return text.slice(start, end);
}

/** The key of the member whose value starts at `end` (`price` in `"price": {`), or ''. */
function keyBefore(text: string, end: number): string {
  let at = end;
  while (at > 0 && end - at < LOOK_BEHIND && /\s/.test(text[at - 1]!)) at--;
  if (text[at - 1] !== ':') return '';
  at--;
  while (at > 0 && end - at < LOOK_BEHIND && /\s/.test(text[at - 1]!)) at--;
  if (text[at - 1] === '"' || text[at - 1] === "'") at--;
  const stop = at;
  while (at > 0 && stop - at < 64 && KEY_CHAR.test(text[at - 1]!)) at--;
  return text.slice(at, stop);
}

/** The field names among a name's segments: not operators, not array indexes. */
function fieldsOf(segments: readonly string[]): string[] {
  return segments.filter((s) => s[0] !== '$' && !/^\d{1,6}$/.test(s));
}

/**
 * The rule for an operator found with the name segments leading to it: an operator on a field
 * under a filter parameter is a filter API's syntax, unless the field is a secret or the operator
 * is one no filter API exposes.
 */
function judgeOperator(operator: string, segments: readonly string[], text: string): Rule {
  if (ALWAYS_SET.has(operator) || (operator === 'expr' && SECRET_REFERENCE.test(text))) return OPERATOR_RULE;
  const fields = fieldsOf(segments);
  if (fields.length === 0 || !FILTER_NAMESPACE.test(fields[0]!)) return OPERATOR_RULE;
  return SECRET_FIELD.test(fields[fields.length - 1]!) ? OPERATOR_RULE : FILTER_OPERATOR_RULE;
}

const DOLLAR = 36;
const NAME_LOCATIONS: ReadonlySet<string> = new Set(['query_name', 'body_form_name', 'cookie_name']);

function inspectOperators(v: InspectedValue, report: ReportRule): void {
  const text = v.lower;
  if (text.indexOf('$') < 0) return;
  // A name is its own context; a value's operators (a JSON key's too) apply under its name.
  const outer = NAME_LOCATIONS.has(v.location) ? [] : segmentsOf(v.lowerName);
  if (text.charCodeAt(0) === DOLLAR && outer.includes('$expr') && SECRET_OPERAND.test(text)) report(OPERATOR_RULE);
  // A path segment that is an operator's name alone is a route: FHIR's operations (`/CodeSystem/$lookup`,
  // `/Patient/$match`) and OData's (`$count`, `$value`) are named so, and no route takes a query there.
  const whole = v.location === 'path' ? null : OPERATOR_SYNTAX.whole.exec(text);
  if (whole !== null) {
    // A `$type` key with no field above it is a serializer's type discriminator (System.Text.Json,
    // Json.NET): MongoDB reads `$type` only under a field. (A gadget type there is the deserialization pack's.)
    // Under a field it is that or a type test, which widens a condition only on a secret
    // (`"password": {"$type": "string"}` matches every account): elsewhere it is a filter's syntax.
    if (whole[1] === 'type' && v.location === 'body_json_key') {
      const fields = fieldsOf(outer);
      if (fields.length > 0) report(SECRET_FIELD.test(fields[fields.length - 1]!) ? OPERATOR_RULE : FILTER_OPERATOR_RULE);
      return;
    }
    report(judgeOperator(whole[1]!, outer, text));
    return;
  }
  // A bracketed name inside a value (a query string in a return URL) is a whole name of its own.
  for (const match of text.matchAll(OPERATOR_SYNTAX.bracket)) {
    const inner = segmentsOf(nameBefore(text, match.index));
    report(judgeOperator(match[1]!, inner.length > 0 ? inner : outer, text));
  }
  // A document whose keys use `$` as its own naming (Sift's `$session_id`, `$user_id`) is no query:
  // MongoDB refuses an unknown `$` key, and none of its operators has an underscore.
  if (OWN_DOLLAR_KEY.test(text)) return;
  for (const match of text.matchAll(OPERATOR_SYNTAX.object)) report(judgeOperator(match[1]!, [...outer, ...segmentsOf(keyBefore(text, match.index))], text));
  // `$or` / `$nor` over a list anywhere (`{"user":"a","$or":[…]}`): judged as any operator under the
  // value's own name, unless a branch holds on every document (`{"_id":{"$exists":true}}`): that
  // widens whatever filter it joins.
  if (OPERATOR_SYNTAX.list.test(text)) report(ALWAYS_TRUE_BRANCH.test(text) ? OPERATOR_RULE : judgeOperator('or', outer, text));
}

/** What JSON_BREAKOUT_RULE cannot match without: a quote, then spaces and closing brackets, then a comma. */
const STRING_END_LEAD = /"[\s}\]]{0,26},/;
const PREFILTER =
  /\$|db\.|\.\.\/|return|this\.|==|new\s{1,5}date|(?:\|\||&&)\s{0,5}true|;\s{0,5}(?:while|for|do|var|let|const|sleep)\b|"_admin"|(?:^|\/)_(?:all_dbs|users|config|node|membership|active_tasks|cluster_setup)\b/;

export const noSqlInjectionPack: RulePack = {
  name: 'nosqli',
  classification: 'NoSqlInjection',
  rules: [OPERATOR_RULE, ...NOSQLI_RULES, JSON_BREAKOUT_RULE, FILTER_OPERATOR_RULE, COUCHDB_ADMIN_RULE],
  prefilter: (v) => PREFILTER.test(v.lower) || (v.location === 'body_json' && STRING_END_LEAD.test(v.lower)),
  inspect: (v, report) => {
    inspectOperators(v, report);
    matchRegexRules(NOSQLI_RULES, v, report);
    if (v.location === 'path') matchRegexRules([COUCHDB_ADMIN_RULE], v, report);
    else if (v.location === 'body_json') matchRegexRules([JSON_BREAKOUT_RULE], v, report);
  },
};
