/**
 * Injection into the query languages an application builds around input besides SQL and MongoDB's:
 * graph databases (Neo4j's Cypher, TinkerPop's Gremlin), RDF stores (SPARQL), OData filters, search
 * engines (Elasticsearch's query DSL, Solr's local parameters), and ORM filters whose lookups reach a
 * secret field (Django's `password__startswith`, Ransack's `reset_password_token_start`, Prisma's
 * `{ resetToken: { startsWith } }`: each answer leaks one more character).
 */
import { isJsonDocument } from '../json-document';
import type { Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { matchRegexRules, type RegexRule } from './regex-rule';

const SEARCH_ENGINE_BREAKOUT_RULE: RegexRule = {
  id: 900113,
  classification: 'NoSqlInjection',
  state: 'Exploitation',
  risk: 80,
  severity: 'critical',
  confidence: 'high',
  description:
    "QueryLanguageAnalyzer: search-engine query injection: a string closed out of Elasticsearch's query DSL into a new clause, or Solr local parameters ({!xmlparser}, {!join fromIndex=})",
  pattern:
    /["']\s{0,3}\}{1,4}\s{0,3}\]?\s{0,3},\s{0,3}\{?\s{0,3}"(?:match_all|script|script_fields|query_string|bool|should|must|wildcard|regexp|exists|runtime_mappings)"|\{!\s{0,3}(?:xmlparser|join|func|frange|parent|child|terms|graph|streaming_expression)\b/,
  needs: ['"', '{!'],
};

export const QUERY_LANGUAGE_RULES: readonly RegexRule[] = [
  {
    id: 900110,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description:
      'QueryLanguageAnalyzer: Cypher (Neo4j) injection: a map literal closed into a clause, DETACH DELETE, LOAD CSV FROM, a procedure call, or a tautology closing into a clause',
    pattern:
      /['"]\s{0,3}\}\s{0,3}\)\s{0,5}(?:optional\s{1,5})?(?:match|with|return|call|detach|union|load)\s{1,5}\(?[a-z_]|\bdetach\s{1,5}delete\s{1,5}[a-z_]|\bload\s{1,5}csv\s{1,5}(?:with\s{1,5}headers\s{1,5})?from\s{1,5}['"]|\bcall\s{1,5}(?:db|dbms|apoc)\.[a-z][\w.]{1,60}\s{0,3}\(|['"]\s{0,5}\}?\s{0,3}\)?\s{0,5}or\s{1,5}(?:1\s{0,3}=\s{0,3}1|true)\s{1,5}(?:return|with|match|detach|call|union)\b/,
    needs: ['}', 'detach', 'load', 'call', 'or'],
  },
  {
    id: 900111,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'QueryLanguageAnalyzer: Gremlin (TinkerPop) traversal injection: a closed string followed by a traversal step, or a traversal from g.V()',
    pattern:
      /['"]\s{0,3}\)\s{0,5}\.\s{0,3}(?:v|e|drop|valuemap|elementmap|values|properties|union|inject|or|addv|adde|property|sideeffect)\s{0,3}\(|\bg\s{0,3}\.\s{0,3}[ve]\s{0,3}\(\s{0,3}\)\s{0,3}\.\s{0,3}(?:drop|valuemap|elementmap|has|haslabel|values|properties|count)\s{0,3}\(/,
    needs: [')'],
  },
  {
    id: 900112,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'QueryLanguageAnalyzer: SPARQL injection: a closed string and group followed by UNION, OPTIONAL, FILTER or an update',
    pattern:
      /['"]\s{0,5}[.;]?\s{0,5}\}\s{0,5}(?:union\s{0,5}\{\s{0,5}\?[a-z_]|optional\s{0,5}\{\s{0,5}\?[a-z_]|filter\s{0,5}\(|;\s{0,5}(?:insert|delete)\s{1,5}(?:data\s{0,5})?\{)/,
    needs: ['}'],
  },
  SEARCH_ENGINE_BREAKOUT_RULE,
  {
    id: 900114,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description:
      'QueryLanguageAnalyzer: PromQL or LogQL selector injection: a label value closed and its selector left for another (`checkout"} or {__name__=~".+`), or a matcher added that matches every value (`checkout",namespace=~".*`)',
    // A dashboard or API that splices a value into `{label="…"}`: the value closes the quote and
    // the braces, or adds a regex matcher for everything, and the query reads every tenant's series.
    // The value opens as a bare label value (no selector of its own before the quote): a query
    // written whole (`up{job="a"} or up{job="b"}`) is the language used, not injected into.
    pattern:
      /^[^{"'\n]{0,100}["']\s{0,3}\}\s{0,5}\)?\s{0,5}(?:\|[=~]\s{0,3}"[^"\n]{0,100}"\s{0,5})?(?:or|and|unless)\b|^[^{"'\n]{0,100}["']\s{0,3},\s{0,3}[a-z_]\w{0,60}\s{0,3}=~\s{0,3}["']\.[*+]/,
    needs: ['"', "'"],
  },
  {
    id: 900115,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description:
      'QueryLanguageAnalyzer: Lucene query-string break-out: a value that closes a group or a phrase it never opened and adds a clause on another field (`*) OR (tenant_id:*`, `acme) OR _exists_:ssn`, `" OR role:admin OR "`)',
    // A search box whose text an application puts inside `owner:(…)` or `title:"…"` of a Lucene
    // or Elasticsearch query_string: the closing bracket or quote comes first, then the new
    // clause. A query written whole opens what it closes.
    pattern:
      /^[^()"\n]{0,200}\)\s{0,5}(?:or|and|\|\||&&)\s{1,5}(?:not\s{1,5})?\(?\s{0,3}(?:[a-z_][\w.]{0,60}:[^\s)]|_exists_\s{0,3}:)|^[^()"\n]{0,200}"\s{1,5}(?:or|and|\|\||&&)\s{1,5}[a-z_][\w.]{0,60}:[^\s"]/,
    needs: [')', '"'],
  },
  {
    id: 100120,
    classification: 'SqlInjection',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description:
      'QueryLanguageAnalyzer: OData filter injection: a tautology (or true, or 1 eq 1, eq x or ne x), a string closed out of a function call, or a string closed and a condition on another field added',
    pattern:
      /\b(?:eq|ne|gt|ge|lt|le)\s{1,5}[\w'.-]{1,60}\s{1,5}or\s{1,5}(?:true|1\s{1,5}eq\s{1,5}1)\b|\beq\s{1,5}'[^']{0,40}'\s{1,5}or\s{1,5}[a-z_]{1,40}\s{1,5}ne\s{1,5}'|'\s{0,3}\)\s{1,5}or\s{1,5}\(?\s{0,3}(?:true\b|1\s{1,5}eq\s{1,5}1\b|'[^']{0,20}'\s{1,5}eq\s{1,5}')|^[^']{1,60}'\s{1,5}or\s{1,5}[a-z_][\w/]{0,40}\s{1,5}(?:eq|ne|gt|ge|lt|le)\s{1,5}(?:\d|'|true\b|false\b|null\b)/,
    needs: ['or'],
  },
];

export const ORM_SECRET_LOOKUP: Rule = {
  id: 100121,
  classification: 'SqlInjection',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description:
    'QueryLanguageAnalyzer: filter lookup on a secret field (Django password__startswith, Ransack reset_password_token_start, Prisma resetToken.startsWith, Lucene reset_token:a*): each answer leaks a prefix',
};
/**
 * A search term closing the XML element or attribute an application put it in and opening the
 * query language's own elements: FetchXML (Dynamics 365, Power Pages: `x"/></filter><link-entity
 * name="systemuser" …`) and CAML (SharePoint: `HR</Value></Eq><Or><IsNotNull>…`). Or SOSL's
 * search term closing its braces and naming other objects to return (`acme} IN ALL FIELDS
 * RETURNING User(Email)`). A query written whole opens with its own element (`<fetch>`, `<View>`,
 * `FIND {`).
 */
export const ENTERPRISE_QUERY_BREAKOUT: Rule = {
  id: 100124,
  classification: 'SqlInjection',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description:
    "QueryLanguageAnalyzer: search term closed out of a FetchXML or CAML element into the language's own elements (a filter, condition, link-entity or comparison), or out of SOSL's braces into RETURNING",
};
const XML_QUERY_BREAKOUT =
  /^[^<]{0,200}?(?:['"]\s{0,3}\/>|<\/(?:value|fieldref)>)\s{0,5}(?:<\/[a-z:-]{1,20}>\s{0,5}){0,4}<(?:link-entity|condition|filter|or|and|isnotnull|isnull|eq|neq|geq|leq|gt|lt|contains|beginswith|fieldref|where|viewfields|query)\b/;
const SOSL_BREAKOUT = /^[^{}]{0,200}\}\s{0,5}(?:in\s{1,5}(?:all|name|email|phone|sidebar)\s{1,5}fields\s{1,5})?returning\s{1,5}[a-z_]{1,40}(?:__c)?\s{0,5}[(,]/;

export const ODATA_EXPAND_FLOOD: Rule = {
  id: 100122,
  classification: 'SqlInjection',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: 'QueryLanguageAnalyzer: OData $expand nested 5 levels or more (a join per level, built to exhaust the database)',
};

/**
 * A secret's field name, then a partial-match lookup the way ORMs and search syntaxes spell one;
 * Ransack names a field through associations joined by `_` (`user_reset_password_token_start`).
 */
const SECRET_FIELD = String.raw`(?:password(?:_?hash|_?digest)?|passwd|encrypted_password|reset_?(?:password_?)?token|api_?key|secret(?:_?key)?|otp(?:_?secret)?|mfa_?secret|totp_?secret)`;
const SECRET_LOOKUP_NAME = new RegExp(
  String.raw`(?:^|__|\.|\[)(?:(?:[a-z][a-z0-9]{0,30}_){0,2}?${SECRET_FIELD}|[a-z_]{0,30}reset[a-z_]{0,30}__token)(?:__[a-z_]{1,40}){0,3}?(?:__(?:startswith|istartswith|endswith|iendswith|regex|iregex|contains|icontains|gt|gte|lt|lte|range)|_(?:start|end|cont|matches|gt|lt)\]?$|\]?\.(?:startswith|endswith|contains|gt|gte|lt|lte|regex)$|\]\[\$?(?:startswith|starts_with|contains|regex|gt|lt)\]$)`,
);
/**
 * In a search box or filter: `reset_token:a*`, `password:[a TO b]`, `_exists_:api_key`, OData's
 * `startswith(PasswordHash,'$2a')`, a ServiceNow encoded query's condition or sort on a secret
 * field (`user_passwordSTARTSWITH$s$`, `^ORDERBYuser_password`), operator glued to the name.
 */
const SECRET_SEARCH = new RegExp(
  String.raw`(?:^|[\s(+])${SECRET_FIELD}\s{0,2}:\s{0,2}(?:[^\s*]{0,40}\*|\[|\{|\/)|_exists_\s{0,2}:\s{0,2}${SECRET_FIELD}\b|\b(?:startswith|endswith|contains|substringof|indexof)\s{0,3}\(\s{0,3}${SECRET_FIELD}\s{0,3},|(?:^|\^(?:or|nq)?)(?:[a-z][a-z0-9]{0,30}_)?${SECRET_FIELD}(?:startswith|endswith|like|between|[<>])|\^orderby(?:desc)?(?:[a-z][a-z0-9]{0,30}_)?${SECRET_FIELD}(?:\^|$)`,
);
/** What a secret lookup's name or value holds before the patterns run. */
const SECRET_HINT = /pass|token|secret|key|otp/;
const EXPAND_FLOOD = 5;
const SECRET_PATH_VALUE = new RegExp(String.raw`^\s{0,3}(?:pass|${SECRET_FIELD})\s{0,3}$`);
/**
 * What any rule above needs: a closing brace (map literals, groups, DSL clauses), Solr's `{!`, a
 * Cypher verb, a closed string's call (`').V(`), a traversal from `g.V()`, a tautology after `or`,
 * an OData comparison, a nested `$expand`; a secret field's name for the search-syntax lookups.
 */
const PREFILTER =
  /\}|\{!|=~|[)"]\s{0,5}(?:or|and|\|\||&&)\s|detach|\bload\s|\bcall\s|['"]\s{0,3}\)\s{0,5}\.|\bg\s{0,3}\.\s{0,3}[ve]\s{0,3}\(|\bor\s{1,5}\(?\s{0,3}(?:1\s{0,3}=|true\b|1\s{1,5}eq\b|'[^']{0,20}'\s{1,5}eq\b)|\b(?:eq|ne|gt|ge|lt|le)\s|\(\$expand=/;

function inspect(v: InspectedValue, report: (rule: Rule) => void): void {
  // A value that is a JSON document whole (`{"Version":"2012-10-17","Statement":[…]}`, a policy
  // an API takes as a string): its `"},"Bool"` is its own syntax, not a string closed out of a
  // query DSL; the document's strings are read one by one as well.
  matchRegexRules(QUERY_LANGUAGE_RULES, v, (rule) => {
    if (rule !== SEARCH_ENGINE_BREAKOUT_RULE || !isJsonDocument(v.decoded)) report(rule);
  });
  if (SECRET_HINT.test(v.lowerName) && SECRET_LOOKUP_NAME.test(v.lowerName)) report(ORM_SECRET_LOOKUP);
  else if (SECRET_HINT.test(v.lower) && SECRET_SEARCH.test(v.lower)) report(ORM_SECRET_LOOKUP);
  // Drupal's JSON:API filters name the field in a value of their own (`filter[x][condition][path]=pass`).
  if (v.lowerName.endsWith('[condition][path]') && SECRET_PATH_VALUE.test(v.lower)) report(ORM_SECRET_LOOKUP);
  if (v.lower.split('($expand=').length > EXPAND_FLOOD) report(ODATA_EXPAND_FLOOD);
  if (closesEnterpriseQuery(v.lower)) report(ENTERPRISE_QUERY_BREAKOUT);
}

function closesEnterpriseQuery(lower: string): boolean {
  return (
    ((lower.indexOf('/>') >= 0 || lower.indexOf('</') >= 0) && XML_QUERY_BREAKOUT.test(lower)) ||
    (lower.indexOf('}') >= 0 && lower.indexOf('returning') >= 0 && SOSL_BREAKOUT.test(lower))
  );
}

export const queryLanguagePack: RulePack = {
  name: 'query-languages',
  classification: 'NoSqlInjection',
  rules: [...QUERY_LANGUAGE_RULES, ORM_SECRET_LOOKUP, ODATA_EXPAND_FLOOD, ENTERPRISE_QUERY_BREAKOUT],
  // A lookup's value is anything (`a3`): the name carries it; an OData filter is words.
  readsPlainValues: (v) => SECRET_HINT.test(v.lowerName) || v.lowerName.indexOf('filter') >= 0 || v.lowerName.endsWith('[condition][path]'),
  prefilter: (v) =>
    SECRET_HINT.test(v.lowerName) ||
    v.lowerName.endsWith('[condition][path]') ||
    PREFILTER.test(v.lower) ||
    (SECRET_HINT.test(v.lower) &&
      (v.lower.indexOf(':') >= 0 || v.lower.indexOf('(') >= 0 || v.lower.indexOf('^') >= 0 || v.lower.indexOf('with') >= 0 || v.lower.indexOf('like') >= 0)) ||
    closesEnterpriseQuery(v.lower),
  inspect,
};
