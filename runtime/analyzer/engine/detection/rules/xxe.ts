/**
 * XML external entities: external entity declarations, DOCTYPE subsets and external DTDs,
 * parameter entities, XInclude, XSLT that reads files or runs code, and schema references the
 * parser fetches. Documents declared as UTF-7 are read decoded, as the parser would.
 */
import { decodeUtf7, mayBeUtf7 } from '../decode';
import type { ReportRule, Rule, RulePack } from '../types';
import { InspectedValue } from '../value';
import { matchRegexRules, type RegexRule } from './regex-rule';

/** URI schemes an XML parser's entity resolver fetches from (files, networks, archives, wrappers). */
const RESOLVER_SCHEMES = 'file|https?|ftp|gopher|jar|netdoc|php|expect|data|dict|ldap|smb|mailto|phar|zip|compress\\.zlib|glob|tftp|sftp|ssh2\\.[a-z]{1,10}';

export const XXE_RULES: readonly RegexRule[] = [
  {
    id: 600101,
    classification: 'Xxe',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'XxeAnalyzer: external entity declaration',
    pattern: /<!entity\s{1,10}(?:%\s{1,10})?[\w.:-]{1,100}\s{1,10}(?:system|public)\b/,
  },
  {
    id: 600102,
    classification: 'Xxe',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'XxeAnalyzer: document type with external or internal entity subset',
    // Not PUBLIC: XHTML and other standard documents name their public DTD that way.
    pattern: /<!doctype\s{1,10}[\w:.-]{1,100}\s{1,10}system\s{1,10}['"]|<!doctype\s{1,10}[\w:.-]{1,100}\s{0,10}\[\s{0,10}<!(?:entity|element|attlist)\b/,
  },
  {
    id: 600103,
    classification: 'Xxe',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'XxeAnalyzer: XInclude',
    // An include element, and the XInclude namespace or a text include: declaring the namespace
    // alone includes nothing (DocBook and DITA tools declare it on every document). The element
    // reads a file as text, or names one by a scheme, an absolute path or a climb out: a book's
    // `<xi:include href="chapters/install.xml"/>` pulls in its own chapter.
    pattern:
      /<[\w-]{1,40}:include\b[^>]{0,300}?(?:\bparse\s{0,5}=\s{0,5}['"]text['"]|\bhref\s{0,5}=\s{0,5}['"]\s{0,5}(?:[a-z][\w+.-]{0,20}:|[/\\]|[^'"]{0,200}?\.\.))/,
    requires: /\/2001\/xinclude|\bparse\s{0,5}=\s{0,5}['"]text['"]/,
  },
  {
    id: 600104,
    classification: 'Xxe',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'XxeAnalyzer: entity resolved from a file, network or wrapper URI',
    // `SYSTEM "file:///etc/passwd"`, `"php://filter/..."`, `"expect://id"`, `"jar:http://..!/"`.
    // A PUBLIC identifier's web address is how standard documents name their DTD: only other
    // schemes count there.
    pattern: new RegExp(
      String.raw`<!(?:entity|doctype)\b[^>]{0,300}\bsystem\s{1,10}['"]\s{0,5}(?:${RESOLVER_SCHEMES}):|<!(?:entity|doctype)\b[^>]{0,300}\bpublic\s{1,10}['"][^'"]{0,200}['"]\s{1,10}['"]\s{0,5}(?:${RESOLVER_SCHEMES.replace('|https?|', '|')}):`,
    ),
  },
  {
    id: 600105,
    classification: 'Xxe',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'medium',
    description: 'XxeAnalyzer: parameter entity reference inside a document type',
    pattern: /<!doctype\b[^>]{0,300}\[[^\]]{0,2000}%[\w.:-]{1,100};/,
  },
  {
    id: 600110,
    classification: 'Xxe',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'XxeAnalyzer: internal entity expanding other entities several times (billion laughs)',
    // Each level multiplies the text the parser builds; one declaration referring to another entity
    // twice or more is the building block, with or without the DOCTYPE around it.
    pattern: /<!entity\s{1,10}[\w.:-]{1,100}\s{1,10}['"][^'"<>]{0,200}&[\w.:-]{1,100};[^'"<>]{0,200}&[\w.:-]{1,100};/,
  },
  {
    id: 600106,
    classification: 'Xxe',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'XxeAnalyzer: XSLT reading files or running code',
    pattern: /<xsl:(?:stylesheet|transform|template|value-of|copy-of|variable|include|import)\b/,
    // `document('')` is the stylesheet itself (a lookup table kept in it), not a file it reads.
    requires:
      /\bdocument\s{0,5}\(\s{0,5}(?:'[^']|"[^"])|unparsed-text\s{0,5}\(|<xsl:(?:include|import)\s[^>]{0,200}href\s{0,5}=\s{0,5}['"][a-z]{2,10}:|php:function|xmlns:(?:php|java|runtime|rt|exslt|msxsl)\s{0,5}=|system-property\s{0,5}\(/,
  },
];

/** `<!DOCTYPE name SYSTEM "https://host/….dtd">` with no internal subset: the host of the DTD it names. */
const STANDARD_SYSTEM_DOCTYPE = /<!doctype\s{1,10}[\w:.-]{1,100}\s{1,10}system\s{1,10}['"]https?:\/\/([a-z0-9.-]{1,100})\/[^'"<>\s]{0,200}\.dtd['"]\s{0,10}>/;

/** Publishers of the standard DTDs documents name by PUBLIC identifier (XHTML, SVG, DocBook, plists, Java EE, RSS 0.91, ...). */
export const STANDARD_DTD_HOSTS: ReadonlySet<string> = new Set([
  'xml.cxml.org',
  'www.w3.org',
  'w3.org',
  'docs.oasis-open.org',
  'www.oasis-open.org',
  'www.docbook.org',
  'java.sun.com',
  'xmlns.jcp.org',
  'www.apple.com',
  'www.springframework.org',
  'hibernate.org',
  'www.hibernate.org',
  'hibernate.sourceforge.net',
  'mybatis.org',
  'struts.apache.org',
  'tiles.apache.org',
  'logging.apache.org',
  'jakarta.apache.org',
  'www.netscape.com',
  'my.netscape.com',
  'www.wapforum.org',
  'www.openmobilealliance.org',
  'www.puppycrawl.com',
  'checkstyle.org',
  'dtd.mybatis.org',
]);
/** Publishers of the standard schemas documents name by location (SOAP, WS-*, Office, Android, GIS, Java EE, Spring, Maven). */
const STANDARD_SCHEMA_HOSTS: ReadonlySet<string> = new Set([
  ...STANDARD_DTD_HOSTS,
  'schemas.xmlsoap.org',
  'schemas.microsoft.com',
  'schemas.openxmlformats.org',
  'schemas.android.com',
  'maven.apache.org',
  'www.opengis.net',
  'schemas.opengis.net',
  'xmlns.oracle.com',
  'www.omg.org',
  'purl.org',
  'www.sitemaps.org',
  'www.google.com',
  'www.isotc211.org',
  'standards.iso.org',
  'www.liquibase.org',
  'camel.apache.org',
  'cxf.apache.org',
  'activemq.apache.org',
]);
/**
 * Hosts only public bodies can register (`.gov`, `.gov.it`, `.gob.mx`, `.gouv.fr`, `europa.eu`, …):
 * tax, e-invoicing and statistics schemas are published there, and no attacker serves one from them.
 */
const PUBLIC_SECTOR_HOST = /(?:^|\.)(?:gov|mil|(?:gov|gob|gouv|govt|go|gc|gv)\.[a-z]{2}|europa\.eu|admin\.ch|bund\.de)$/;

const REMOTE_SCHEMA_LOCATION_RULE: Rule = {
  id: 600107,
  classification: 'Xxe',
  state: 'Reconnaissance',
  risk: 50,
  // Legitimate documents name schemas too, so this alone alerts only at the noisier levels.
  severity: 'warning',
  confidence: 'medium',
  description: 'XxeAnalyzer: schema the parser fetches from a remote location',
};
/** A schema location attribute with its value: `xsi:schemaLocation`, `xsi:noNamespaceSchemaLocation`, an import's `schemaLocation`. */
const SCHEMA_LOCATION_ATTRIBUTE = /\b((?:[\w.-]{1,40}:)?(?:nonamespace)?schemalocation)\s{0,5}=\s{0,5}(?:"([^"]{0,2048})"|'([^']{0,2048})')/g;
const REMOTE_LOCATION = /^(?:https?|ftp|file):/;
const LOCATION_HOST = /^(?:https?|ftp):\/\/(?:[^@/]{0,200}@)?([^/'"\s:?#]{1,253})/;
/** An `<xs:include|import|redefine>`'s namespace: resolvers that find no location fetch the namespace URI itself. */
const IMPORTED_NAMESPACE = /<[\w-]{1,40}:(?:include|import|redefine)\s[^>]{0,200}\bnamespace\s{0,5}=\s{0,5}['"]\s{0,5}([^'"]{0,2048})/g;
/** Schema locations read per document. */
const MAX_SCHEMA_LOCATIONS = 32;

/**
 * What the parser fetches to validate a document: `xsi:schemaLocation` holds pairs of a namespace
 * (a name, never fetched) and the location of its schema; `noNamespaceSchemaLocation` and an
 * `<xs:include|import|redefine>`'s `schemaLocation` hold one location, and such an element's
 * `namespace` is fetched by resolvers given no location.
 */
function schemaLocations(lower: string): Array<{ location: string; namespace?: string }> {
  const out: Array<{ location: string; namespace?: string }> = [];
  if (lower.indexOf('namespace') >= 0) {
    IMPORTED_NAMESPACE.lastIndex = 0;
    for (let m = IMPORTED_NAMESPACE.exec(lower); m !== null && out.length < MAX_SCHEMA_LOCATIONS; m = IMPORTED_NAMESPACE.exec(lower))
      out.push({ location: m[1]!.trim() });
  }
  if (lower.indexOf('schemalocation') < 0) return out;
  SCHEMA_LOCATION_ATTRIBUTE.lastIndex = 0;
  for (let m = SCHEMA_LOCATION_ATTRIBUTE.exec(lower); m !== null && out.length < MAX_SCHEMA_LOCATIONS; m = SCHEMA_LOCATION_ATTRIBUTE.exec(lower)) {
    const tokens = (m[2] ?? m[3] ?? '').trim().split(/\s+/, MAX_SCHEMA_LOCATIONS * 2);
    if (m[1]!.endsWith('nonamespaceschemalocation') || tokens.length === 1) out.push({ location: tokens[0]! });
    else for (let i = 1; i < tokens.length; i += 2) out.push({ location: tokens[i]!, namespace: tokens[i - 1] });
  }
  return out;
}

/**
 * A schema its namespace's owner publishes: the location on the same named host as the namespace
 * it is paired with (`http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd`),
 * as every format's publisher lays it out.
 */
function publishedByNamespaceOwner(host: string, namespace: string | undefined): boolean {
  return namespace !== undefined && /[a-z]/.test(host) && LOCATION_HOST.exec(namespace)?.[1] === host;
}

const REMOTE_SCHEMA_RULE: Rule = {
  id: 600109,
  classification: 'Xxe',
  state: 'Exploitation',
  risk: 60,
  severity: 'error',
  confidence: 'medium',
  description: 'XxeAnalyzer: schema fetched from a host outside the standards publishers',
};
const PUBLIC_DTD_URL = /<!doctype\s{1,10}[\w:.-]{1,100}\s{1,10}public\s{1,10}['"][^'"]{0,200}['"]\s{1,10}['"]\s{0,5}https?:\/\/([^/'"\s:]{1,253})/;
const REMOTE_PUBLIC_DTD_RULE: Rule = {
  id: 600108,
  classification: 'Xxe',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description: 'XxeAnalyzer: document type loading a public DTD from outside the standards bodies',
};

/**
 * A document type that loads nothing and declares only its own vocabulary: `SYSTEM "log4j.dtd"`
 * (a DTD beside the file, as Java configurations name theirs), or an internal subset of text
 * entities (`<!ENTITY company "Acme">`), content models and attribute lists. Such a subset expands
 * to text the document already holds; what XXE needs (external or parameter entities, entities in
 * entities, a text referenced thousands of times, an attribute list giving elements an event
 * handler) is none of it, and the other rules read those.
 */
const OWN_DOCTYPE =
  /<!doctype\s{1,10}[\w:.-]{1,100}(?:\s{1,10}system\s{1,10}(?:"[\w.-]{1,100}\.dtd"|'[\w.-]{1,100}\.dtd')\s{0,10}>|\s{0,10}\[([^\]]{0,8192})\]\s{0,10}>)/;
/** One declaration of an internal subset, or a comment. */
const SUBSET_PART = /\s{0,256}(?:<!--[^>]{0,1024}-->|<!(entity|element|attlist)\s([^<>&%]{1,1024})>)/y;
/** A text entity: a name and a short quoted text with no markup or references in it. */
const TEXT_ENTITY = /^[\w:.-]{1,100}\s{1,10}(?:"[^"<&%]{0,256}"|'[^'<&%]{0,256}')\s{0,10}$/;
const HANDLER_ATTRIBUTE = /\bon[a-z]{3,30}\b|\bxmlns\b|\bhref\b|\bsrc\b|\bstyle\b/;
/** A reference to an entity other than XML's five and character references. */
const DECLARED_ENTITY_REFERENCE = /&(?!(?:amp|lt|gt|quot|apos);)[a-z_:][\w:.-]{0,100};/;
/** Entity references beyond these make a small text large (a quadratic blow-up). */
const MAX_ENTITY_REFERENCES = 64;

function declaresOwnVocabulary(lower: string): boolean {
  if (lower.indexOf('<!doctype') !== lower.lastIndexOf('<!doctype')) return false;
  const doctype = OWN_DOCTYPE.exec(lower);
  if (doctype === null) return false;
  const subset = doctype[1];
  // A DTD beside the file may declare entities too (an uploaded `test.dtd`): only one whose
  // document uses none of its own counts.
  if (subset === undefined) return !DECLARED_ENTITY_REFERENCE.test(lower);
  SUBSET_PART.lastIndex = 0;
  let end = 0;
  for (let match = SUBSET_PART.exec(subset); match !== null; match = SUBSET_PART.exec(subset)) {
    const [, kind, body] = match;
    if (kind === 'entity' && !TEXT_ENTITY.test(body!)) return false;
    if (kind === 'attlist' && HANDLER_ATTRIBUTE.test(body!)) return false;
    end = SUBSET_PART.lastIndex;
  }
  if (subset.slice(end).trim() !== '') return false;
  let references = 0;
  for (let at = lower.indexOf('&'); at >= 0 && references <= MAX_ENTITY_REFERENCES; at = lower.indexOf('&', at + 1)) references++;
  return references <= MAX_ENTITY_REFERENCES;
}

const PREFILTER = /<!|xi:include|xinclude|<xsl:|schemalocation|:include\b|:import\b|:redefine\b|\+adw/;
const UTF7_DECLARATION = /encoding\s{0,5}=\s{0,5}['"]utf-7/;

export const xxePack: RulePack = {
  name: 'xxe',
  readsUploads: true,
  classification: 'Xxe',
  rules: [...XXE_RULES, REMOTE_PUBLIC_DTD_RULE, REMOTE_SCHEMA_LOCATION_RULE, REMOTE_SCHEMA_RULE],
  readsXmlDocuments: true,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v: InspectedValue, report: ReportRule) => {
    // A document naming its standard's published DTD by SYSTEM id (cXML requires one) and declaring nothing itself.
    const standardDoctype = v.lower.indexOf('<!entity') < 0 && STANDARD_SYSTEM_DOCTYPE.exec(v.lower)?.[1];
    matchRegexRules(
      XXE_RULES,
      v,
      (standardDoctype !== undefined && standardDoctype !== false && STANDARD_DTD_HOSTS.has(standardDoctype)) || declaresOwnVocabulary(v.lower)
        ? (rule) => {
            if (rule.id !== 600102 && rule.id !== 600104) report(rule);
          }
        : report,
    );
    const dtdHost = PUBLIC_DTD_URL.exec(v.lower)?.[1];
    if (dtdHost !== undefined && !STANDARD_DTD_HOSTS.has(dtdHost)) report(REMOTE_PUBLIC_DTD_RULE);
    for (const { location, namespace } of schemaLocations(v.lower)) {
      if (!REMOTE_LOCATION.test(location)) continue;
      report(REMOTE_SCHEMA_LOCATION_RULE);
      const host = LOCATION_HOST.exec(location)?.[1];
      if (host !== undefined && !STANDARD_SCHEMA_HOSTS.has(host) && !PUBLIC_SECTOR_HOST.test(host) && !publishedByNamespaceOwner(host, namespace))
        report(REMOTE_SCHEMA_RULE);
    }
    if (UTF7_DECLARATION.test(v.lower) && mayBeUtf7(v.decoded))
      matchRegexRules(XXE_RULES, new InspectedValue(v.location, v.name, decodeUtf7(v.decoded)), report);
  },
};
