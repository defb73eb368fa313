/**
 * Checks a Nuclei template document against the format's documented rules: the id pattern, the
 * required info fields (name, author, severity from Nuclei's severity list), http blocks with raw
 * requests or paths, matcher types with the list field each type needs, matcher conditions and
 * parts, and extractor types and names. Returns the problems found (empty when valid).
 */
import { parse } from 'yaml';
import { TemplateError } from '../template/validate';

export const NUCLEI_ID_PATTERN = /^([a-zA-Z0-9]+[-_])*[a-zA-Z0-9]+$/;
export const NUCLEI_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical', 'unknown'];
/** Matcher type → the field that carries its values. */
export const NUCLEI_MATCHER_FIELDS: Readonly<Record<string, string>> = {
  status: 'status',
  size: 'size',
  word: 'words',
  regex: 'regex',
  binary: 'binary',
  dsl: 'dsl',
  xpath: 'xpath',
};
export const NUCLEI_EXTRACTOR_FIELDS: Readonly<Record<string, string>> = { regex: 'regex', kval: 'kval', json: 'json', xpath: 'xpath', dsl: 'dsl' };
const CONDITIONS = ['and', 'or'];

const TEMPLATE_FIELDS = ['id', 'info', 'http', 'requests'];

/** The input as a YAML mapping that is at least trying to be a Nuclei template. */
function templateDocument(yamlText: string): Record<string, unknown> {
  if (yamlText.trim() === '') throw new TemplateError('not a Nuclei template: the input is empty');
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (error) {
    throw new TemplateError(`not a Nuclei template: the input is not YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new TemplateError(
      `not a Nuclei template: the input is a YAML ${doc === null ? 'null' : Array.isArray(doc) ? 'list' : typeof doc}, not a mapping with id, info and http`,
    );
  }
  if (!TEMPLATE_FIELDS.some((field) => field in doc)) {
    throw new TemplateError(`not a Nuclei template: the mapping has none of ${TEMPLATE_FIELDS.join(', ')}`);
  }
  return doc as Record<string, unknown>;
}

export function checkNucleiTemplate(yamlText: string): string[] {
  const problems: string[] = [];
  const doc = templateDocument(yamlText);
  if (typeof doc.id !== 'string' || !NUCLEI_ID_PATTERN.test(doc.id)) problems.push(`id ${JSON.stringify(doc.id)} must match ${NUCLEI_ID_PATTERN}`);
  const info = doc.info as Record<string, unknown> | undefined;
  if (!info || typeof info !== 'object') problems.push('info is required');
  else {
    if (typeof info.name !== 'string' || !info.name) problems.push('info.name is required');
    if (typeof info.author !== 'string' || !info.author) problems.push('info.author is required');
    if (!NUCLEI_SEVERITIES.includes(String(info.severity))) problems.push(`info.severity must be one of ${NUCLEI_SEVERITIES.join(', ')}`);
    const classification = info.classification as Record<string, unknown> | undefined;
    if (classification && classification['cwe-id'] !== undefined && !/^CWE-\d+$/.test(String(classification['cwe-id'])))
      problems.push('info.classification.cwe-id must look like CWE-89');
  }
  const http = doc.http;
  if (!Array.isArray(http) || http.length === 0) return [...problems, 'http must be a non-empty list'];
  http.forEach((rawBlock, b) => {
    const block = rawBlock as Record<string, unknown>;
    const at = `http[${b}]`;
    const raw = block.raw;
    if (!Array.isArray(raw) && !Array.isArray(block.path)) problems.push(`${at} needs raw or path`);
    if (Array.isArray(raw)) {
      raw.forEach((r, i) => {
        if (typeof r !== 'string' || !/^[A-Z]+ \S+ HTTP\/1\.[01]\n/.test(r)) problems.push(`${at}.raw[${i}] must start with a request line`);
        else if (!/\nHost: \{\{Hostname\}\}\n/.test(r)) problems.push(`${at}.raw[${i}] must send Host: {{Hostname}}`);
      });
      if (raw.length > 1 && block['req-condition'] !== true && (block.matchers as unknown[] | undefined)?.some((m) => /_\d/.test(JSON.stringify(m)))) {
        problems.push(`${at} compares responses by index but does not set req-condition: true`);
      }
    }
    if (block['matchers-condition'] !== undefined && !CONDITIONS.includes(String(block['matchers-condition'])))
      problems.push(`${at}.matchers-condition must be and/or`);
    const matchers = block.matchers;
    if (!Array.isArray(matchers) || matchers.length === 0) problems.push(`${at}.matchers must be a non-empty list`);
    else
      matchers.forEach((rawMatcher, m) => {
        const matcher = rawMatcher as Record<string, unknown>;
        const field = NUCLEI_MATCHER_FIELDS[String(matcher.type)];
        if (!field) problems.push(`${at}.matchers[${m}].type ${JSON.stringify(matcher.type)} is not a Nuclei matcher type`);
        else if (!Array.isArray(matcher[field]) || (matcher[field] as unknown[]).length === 0)
          problems.push(`${at}.matchers[${m}] of type ${matcher.type} needs a non-empty ${field} list`);
        if (matcher.condition !== undefined && !CONDITIONS.includes(String(matcher.condition))) problems.push(`${at}.matchers[${m}].condition must be and/or`);
        if (matcher.negative !== undefined && typeof matcher.negative !== 'boolean') problems.push(`${at}.matchers[${m}].negative must be a boolean`);
      });
    const extractors = block.extractors;
    if (extractors !== undefined) {
      if (!Array.isArray(extractors)) problems.push(`${at}.extractors must be a list`);
      else
        extractors.forEach((rawExtractor, e) => {
          const extractor = rawExtractor as Record<string, unknown>;
          const field = NUCLEI_EXTRACTOR_FIELDS[String(extractor.type)];
          if (!field) problems.push(`${at}.extractors[${e}].type ${JSON.stringify(extractor.type)} is not a Nuclei extractor type`);
          else if (!Array.isArray(extractor[field])) problems.push(`${at}.extractors[${e}] of type ${extractor.type} needs a ${field} list`);
          if (extractor.name !== undefined && !/^[a-z0-9-]+$/.test(String(extractor.name)))
            problems.push(`${at}.extractors[${e}].name must be lower-case without spaces or underscores`);
        });
    }
  });
  return problems;
}
