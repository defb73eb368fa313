/**
 * XPath injection: node-set functions and path unions after a break-out, and expressions that walk
 * a document without knowing it (`/child::node()`, `//*[position()=1]`): how blind extraction
 * enumerates. An XPath expression on its own (telemetry fields such as `xPath: //*[@id="x"]`
 * holding DOM paths, an XML tool's `//book[@category='web']/title`) names what it selects and is
 * not an injection.
 */
import type { Rule, RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

export const XPATHI_RULES: readonly RegexRule[] = [
  {
    id: 910201,
    classification: 'XPathInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description:
      "XPathAnalyzer: node-set functions or path union after a break-out (a predicate closed, also after a function call in it, then `| //x` or `| /*`; `or //x` after a string or a leading number), a union with any node under a predicate (`|//*[`), or a step to the parent or any node between a closed and a reopened predicate (`']/../*['`)",
    pattern:
      /\b(?:count|name|local-name|string-length|substring|contains|starts-with|string)\s{0,5}\(\s{0,5}(?:\/|\.\.?\/|child::|parent::|ancestor::|descendant::|node\s{0,5}\(|text\s{0,5}\(|@\*)|['"]\s{0,5}\)?\s{0,5}\]\s{0,5}\|\s{0,5}\/(?:\/|\*|[a-z_])|['")\]]\s{0,5}\|\s{0,5}\/\/\*|\|\s{0,5}\/\/\*\s{0,5}\[|['"]\s{0,5}(?:or|and)\s{1,5}(?:name|local-name|position|last|text)\s{0,5}\(\s{0,5}\)\s{0,5}(?:=|<|>)|['"]\s{0,5}(?:or|and)\s{1,5}\/\/?[\w*@]|['"]\s{0,5}\]\s{0,5}\/\s{0,5}(?:\.\.|\*|\/)[^'"\]]{0,60}\[\s{0,5}['"]/,
    needs: ['(', '|', '/'],
  },
  {
    id: 910202,
    classification: 'XPathInjection',
    state: 'Exploitation',
    risk: 65,
    severity: 'critical',
    confidence: 'high',
    description: 'XPathAnalyzer: document enumeration (an axis step to any node, `child::node()`, or a position() / last() predicate)',
    // DOM paths from browsers and recorders use element names and numeric predicates (`div[2]`).
    pattern:
      /\b(?:child|descendant(?:-or-self)?|ancestor(?:-or-self)?|parent|self|following(?:-sibling)?|preceding(?:-sibling)?|attribute|namespace)\s{0,5}::\s{0,5}(?:\*|node\s{0,5}\(\s{0,5}\)|text\s{0,5}\(\s{0,5}\)|comment\s{0,5}\(\s{0,5}\))|\[\s{0,5}(?:position\s{0,5}\(\s{0,5}\)\s{0,5}(?:!?=|[<>]=?)|last\s{0,5}\(\s{0,5}\)\s{0,5}[\]-])|\/\s{0,5}node\s{0,5}\(\s{0,5}\)/,
    needs: ['::', 'position', 'last', 'node'],
  },
  {
    id: 910203,
    classification: 'XPathInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description:
      'XPathAnalyzer: XQuery FLWOR expression over a whole document or collection after a break-out (`x" return 1} ; for $u in doc("users.xml")//user return …`)',
    // A quote closes the string the query was built around, and a `for` clause then walks a
    // document the application never meant to show. An XQuery editor's text starts with its query.
    pattern: /['"][^\n]{0,60}?\bfor\s{1,5}\$[\w.-]{1,40}\s{1,5}in\s{1,5}(?:fn:)?(?:doc|collection)\s{0,3}\(/,
    needs: ['$'],
  },
];

const PREFILTER = /\(|\/\/|['"]\s{0,5}(?:or|and)\s{1,5}\/|::|['"]\s{0,5}\]\s{0,5}\//;
/**
 * A number, then `or //x` (`0 or //employee[salary>100000]`): a numeric predicate broken out of.
 * Kept apart from PREFILTER and the rule's pattern: inside them, an alternative opening at `^`
 * made both scans of every value ~25 % slower on the real mix.
 */
const NUMBER_THEN_PATH_UNION = /^\s{0,5}\d{1,10}\s{0,5}(?:or|and)\s{1,5}\/\/?[\w*@]/;
const PATH_UNION_RULE = XPATHI_RULES.find((rule) => rule.id === 910201)!;
/** A predicate closed, then a union (`'] | /*`), or a union with any node (`name|//*[…]`, where a parameter is a path itself, as WFS's `propertyName`): looked for only in values holding a `|`. */
const CLOSED_PREDICATE_UNION = /\]\s{0,5}\||\|\s{0,5}\/\/\*/;

/**
 * A quote and `]` closing the predicate, then a NUL (`admin']%00`): engines on C strings (libxml2
 * and its bindings) stop reading there, so the password's condition after it is never evaluated.
 */
const PREDICATE_CUT_RULE: Rule = {
  id: 910204,
  classification: 'XPathInjection',
  state: 'Exploitation',
  risk: 65,
  severity: 'critical',
  confidence: 'high',
  description: "XPathAnalyzer: predicate closed after a quote and the rest of the expression cut with a NUL (`admin']%00`)",
};
const PREDICATE_CUT = /['"]\s{0,5}\]\s{0,5}\u0000/;

export const xpathInjectionPack: RulePack = {
  name: 'xpathi',
  classification: 'XPathInjection',
  rules: [...XPATHI_RULES, PREDICATE_CUT_RULE],
  prefilter: (v) =>
    PREFILTER.test(v.lower) ||
    (v.lower.indexOf('|') >= 0 && CLOSED_PREDICATE_UNION.test(v.lower)) ||
    NUMBER_THEN_PATH_UNION.test(v.lower) ||
    (v.lower.indexOf('\u0000') >= 0 && PREDICATE_CUT.test(v.lower)),
  inspect: (v, report) => {
    matchRegexRules(XPATHI_RULES, v, report);
    if (NUMBER_THEN_PATH_UNION.test(v.lower)) report(PATH_UNION_RULE);
    if (v.lower.indexOf('\u0000') >= 0 && PREDICATE_CUT.test(v.lower)) report(PREDICATE_CUT_RULE);
  },
};
