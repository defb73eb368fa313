/**
 * Forged SAML messages: what a service provider's signature check and its reading of the
 * assertion disagree on. XML signature wrapping puts a second assertion or response beside or
 * around the signed one, or hides the signed one in a signature's `Object` or the `Extensions`, so
 * the check passes on one and the application reads another. A comment or CDATA section inside a
 * NameID or attribute value is dropped by some XML libraries' text accessors after the signature
 * was checked over the whole (`admin@corp.com<!---->.evil.com` read as `admin@corp.com`). A
 * response carrying neither a signature nor an encrypted assertion is one a lax service provider
 * accepts unsigned. XSLT transforms in a signature run code in the verifier. The messages'
 * documents are also read for XXE and their values for injections (../placements/saml).
 */
import type { RequestView } from '../../message-view';
import { samlMessages } from '../placements';
import { ruleScore } from '../scoring';
import type { AttackHit, Rule } from '../types';
import { classRule } from './class-rule';

const rule = classRule('TokenForgery');

export const SIGNATURE_WRAPPING = rule(
  980105,
  'SamlAnalyzer: XML signature wrapping (a second assertion or response, or one hidden in a signature Object or the Extensions: the signature is checked on one, the application reads another)',
  'critical',
  'high',
  85,
);
export const TRUNCATED_IDENTITY = rule(
  980106,
  'SamlAnalyzer: comment or CDATA inside a NameID or attribute value (a library that drops it reads another identity than the one signed)',
  'critical',
  'high',
  80,
);
/**
 * Alone from level 2: identity providers sign what they send, but test and sample responses often
 * carry none (nine of the older blind sets' benign ones, written without signatures), and it adds
 * to the other rules here.
 */
export const UNSIGNED_RESPONSE = rule(
  980107,
  'SamlAnalyzer: SAML response with an assertion and no signature or encrypted assertion (a forged assertion a lax service provider accepts)',
  'error',
  'high',
  65,
);
export const XSLT_TRANSFORM = rule(
  980108,
  'SamlAnalyzer: XSLT transform in an XML signature (the verifier runs the stylesheet before it checks anything)',
  'critical',
  'high',
  85,
);

export const SAML_RULES: readonly Rule[] = [SIGNATURE_WRAPPING, TRUNCATED_IDENTITY, UNSIGNED_RESPONSE, XSLT_TRANSFORM];

/** An element's start tag, any namespace prefix (`<saml2:Assertion `, `<Assertion>`; not `<saml:EncryptedAssertion>`). */
const ASSERTION = /<(?:[\w.-]{1,40}:)?Assertion[\s>/]/g;
const RESPONSE = /<(?:[\w.-]{1,40}:)?Response[\s>/]/g;
/** An assertion or response inside a signature's Object or a message's Extensions. */
const HIDDEN_IN = /<(?:[\w.-]{1,40}:)?(?:Object|Extensions)[\s>][\s\S]{0,65536}?<(?:[\w.-]{1,40}:)?(?:Assertion|Response)[\s>]/;
const COMMENT_IN_IDENTITY = /<(?:[\w.-]{1,40}:)?(?:NameID|AttributeValue)\b[^>]{0,1000}>[^<]{0,1000}<(?:!--|!\[CDATA\[)/;
const SIGNATURE = /<(?:[\w.-]{1,40}:)?Signature[\s>]/;
const ENCRYPTED = /<(?:[\w.-]{1,40}:)?Encrypted(?:Assertion|ID|Attribute)[\s>]/;
const XSLT = /<(?:[\w.-]{1,40}:)?Transform\b[^>]{0,300}Algorithm\s{0,5}=\s{0,5}["']http:\/\/www\.w3\.org\/TR\/1999\/REC-xslt/i;
/** The document's root element is a Response (`samlp:Response`), not a request or a logout message. */
const RESPONSE_ROOT = /^\s{0,8}(?:<\?xml[^>]{0,200}\?>\s{0,8})?(?:<!--[\s\S]{0,500}?-->\s{0,8})?<(?:[\w.-]{1,40}:)?Response[\s>]/;

/** How many times a start tag occurs, counted to 2 at most: none, one or several is all the checks ask. */
function count(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let n = 0;
  while (pattern.exec(text) !== null && n < 2) n++;
  return n;
}

/** The SAML rules a request's messages trip. */
export function samlHits(request: RequestView): AttackHit[] {
  const hits: AttackHit[] = [];
  const found = (rule: Rule, name: string, value: string): void => {
    if (!hits.some((h) => h.rule === rule)) hits.push({ rule, location: 'body', parameter: name, value, score: ruleScore(rule) });
  };
  for (const message of samlMessages(request)) {
    const xml = message.xml;
    const assertions = count(ASSERTION, xml);
    if (assertions > 1 || count(RESPONSE, xml) > 1 || HIDDEN_IN.test(xml)) found(SIGNATURE_WRAPPING, message.name, xml.slice(0, 200));
    if (COMMENT_IN_IDENTITY.test(xml)) found(TRUNCATED_IDENTITY, message.name, xml.slice(0, 200));
    if (XSLT.test(xml)) found(XSLT_TRANSFORM, message.name, xml.slice(0, 200));
    // The Redirect binding signs the query string (`Signature`), not the document.
    const signedQuery = message.deflated && request.query.some((p) => p.name === 'Signature');
    if (RESPONSE_ROOT.test(xml) && assertions > 0 && !SIGNATURE.test(xml) && !ENCRYPTED.test(xml) && !signedQuery)
      found(UNSIGNED_RESPONSE, message.name, xml.slice(0, 200));
  }
  return hits;
}
