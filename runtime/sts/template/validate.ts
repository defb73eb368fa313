/**
 * Checks a template read from JSON (a verdict's template_json, a file, an imported Nuclei
 * template) before anything runs it, with errors that name the field.
 */
import { parseDsl } from '../dsl';
import { GoRegex } from '../go-regex';
import { MATCHER_TYPES, REQUEST_ROLES, TEMPLATE_SCHEMA, TEMPLATE_SEVERITIES, type Matcher, type Probe, type ScanTemplate } from './schema';
import type { ErrorCode } from '../../errors';
import { isHttpToken } from '../../http-token';

export class TemplateError extends Error {
  readonly code = 'TXP_STS_TEMPLATE_INVALID' satisfies ErrorCode;
}

export const TEMPLATE_ID_PATTERN = /^([a-zA-Z0-9]+[-_])*[a-zA-Z0-9]+$/;

function fail(path: string, message: string): never {
  throw new TemplateError(`template ${path}: ${message}`);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(path, 'must be an object');
  return value as Record<string, unknown>;
}

function string(value: unknown, path: string, allowEmpty = true): string {
  if (typeof value !== 'string') fail(path, 'must be a string');
  if (!allowEmpty && value === '') fail(path, 'must not be empty');
  return value;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  return value;
}

function checkRegex(pattern: unknown, path: string): void {
  const text = string(pattern, path, false);
  try {
    GoRegex.compile(text);
  } catch (error) {
    fail(path, `is not a valid regular expression: ${(error as Error).message}`);
  }
}

function checkMatcher(raw: unknown, path: string, requestCount: number): void {
  const m = object(raw, path);
  const type = m.type as Matcher['type'];
  if (!MATCHER_TYPES.includes(type)) fail(`${path}.type`, `must be one of ${MATCHER_TYPES.join(', ')}`);
  if (m.condition !== undefined && m.condition !== 'and' && m.condition !== 'or') fail(`${path}.condition`, 'must be "and" or "or"');
  const list = { word: 'words', regex: 'regex', status: 'status', dsl: 'dsl' }[type];
  const values = array(m[list], `${path}.${list}`);
  if (values.length === 0) fail(`${path}.${list}`, 'must not be empty');
  values.forEach((v, i) => {
    const at = `${path}.${list}[${i}]`;
    if (type === 'status' && !(Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599)) fail(at, 'must be an HTTP status code');
    if (type === 'word') string(v, at, false);
    if (type === 'regex') checkRegex(v, at);
    if (type === 'dsl') {
      try {
        parseDsl(string(v, at, false));
      } catch (error) {
        fail(at, (error as Error).message);
      }
    }
  });
  if (type !== 'dsl' && requestCount > 1 && m.part !== undefined && !/_\d+$/.test(String(m.part))) {
    fail(`${path}.part`, `a probe with ${requestCount} requests must name the response (e.g. "body_2") or use a dsl matcher`);
  }
}

/** Returns the template typed, or throws TemplateError naming the first problem. */
export function validateTemplate(raw: unknown): ScanTemplate {
  const t = object(raw, '(root)');
  if (t.schema !== TEMPLATE_SCHEMA) fail('schema', `must be "${TEMPLATE_SCHEMA}" (got ${JSON.stringify(t.schema)})`);
  if (!TEMPLATE_ID_PATTERN.test(string(t.id, 'id'))) fail('id', `"${String(t.id)}" must match ${TEMPLATE_ID_PATTERN}`);
  string(t.name, 'name', false);
  string(t.description, 'description');
  if (!TEMPLATE_SEVERITIES.includes(t.severity as never)) fail('severity', `must be one of ${TEMPLATE_SEVERITIES.join(', ')}`);
  array(t.tags, 'tags').forEach((tag, i) => string(tag, `tags[${i}]`, false));
  string(t.cwe, 'cwe');
  const finding = object(t.finding, 'finding');
  string(finding.id, 'finding.id');
  string(finding.class, 'finding.class');
  string(finding.template_class, 'finding.template_class');
  if (!Number.isInteger(finding.observed_status)) fail('finding.observed_status', 'must be an integer (0 when unknown)');
  const target = object(t.target, 'target');
  if (target.scheme !== 'http' && target.scheme !== 'https') fail('target.scheme', 'must be "http" or "https"');
  string(target.host, 'target.host', false);
  const probes = array(t.probes, 'probes');
  if (probes.length === 0) fail('probes', 'must contain at least one probe');
  const ids = new Set<string>();
  probes.forEach((rawProbe, p) => {
    const path = `probes[${p}]`;
    const probe = object(rawProbe, path) as unknown as Probe;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(string(probe.id, `${path}.id`))) fail(`${path}.id`, 'must be lower-case words joined by dashes');
    if (ids.has(probe.id)) fail(`${path}.id`, `"${probe.id}" is used twice`);
    ids.add(probe.id);
    if (typeof probe.confidence !== 'number' || probe.confidence < 0 || probe.confidence > 1) fail(`${path}.confidence`, 'must be a number from 0 to 1');
    const requests = array(probe.requests, `${path}.requests`);
    if (requests.length === 0) fail(`${path}.requests`, 'must contain at least one request');
    requests.forEach((rawRequest, r) => {
      const at = `${path}.requests[${r}]`;
      const request = object(rawRequest, at);
      if (!REQUEST_ROLES.includes(request.role as never)) fail(`${at}.role`, `must be one of ${REQUEST_ROLES.join(', ')}`);
      if (!isHttpToken(string(request.method, `${at}.method`, false))) fail(`${at}.method`, 'must be an HTTP method token');
      if (!string(request.path, `${at}.path`, false).startsWith('/') || /[\s]/.test(request.path as string))
        fail(`${at}.path`, 'must be an origin-form target ("/path?query") without spaces');
      array(request.headers, `${at}.headers`).forEach((h, i) => {
        const pair = array(h, `${at}.headers[${i}]`);
        if (pair.length !== 2 || !isHttpToken(string(pair[0], `${at}.headers[${i}][0]`, false)))
          fail(`${at}.headers[${i}]`, 'must be [name, value] with a valid header name');
        if (/[\r\n]/.test(string(pair[1], `${at}.headers[${i}][1]`))) fail(`${at}.headers[${i}][1]`, 'must not contain line breaks');
      });
      string(request.body, `${at}.body`);
    });
    if (probe.matchers_condition !== 'and' && probe.matchers_condition !== 'or') fail(`${path}.matchers_condition`, 'must be "and" or "or"');
    const matchers = array(probe.matchers, `${path}.matchers`);
    if (matchers.length === 0) fail(`${path}.matchers`, 'must contain at least one matcher');
    matchers.forEach((m, i) => checkMatcher(m, `${path}.matchers[${i}]`, requests.length));
    array(probe.extractors, `${path}.extractors`).forEach((rawExtractor, i) => {
      const at = `${path}.extractors[${i}]`;
      const e = object(rawExtractor, at);
      if (e.type !== 'regex') fail(`${at}.type`, 'must be "regex"');
      if (!/^[a-z0-9-]+$/.test(string(e.name, `${at}.name`, false))) fail(`${at}.name`, 'must be lower-case without spaces or underscores');
      array(e.regex, `${at}.regex`).forEach((r, j) => checkRegex(r, `${at}.regex[${j}]`));
    });
  });
  return raw as ScanTemplate;
}

/** Parses template JSON text (e.g. ScanVerdict.template_json) and validates it. */
export function parseTemplateJson(text: string): ScanTemplate {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TemplateError(`template JSON does not parse: ${(error as Error).message}`);
  }
  return validateTemplate(parsed);
}
