/**
 * Nuclei YAML → STS template, for the subset the exporter writes (raw requests, word/regex/
 * status/dsl matchers, regex extractors), so an exported template can be re-run through the STS
 * executor and must reach the same verdict.
 */
import { parse } from 'yaml';
import { TEMPLATE_SCHEMA, type Extractor, type Matcher, type Probe, type ScanTemplate, type TemplateRequest } from '../template/schema';
import { TemplateError, validateTemplate } from '../template/validate';
import type { ProbeMetadata } from './export';

function fail(path: string, message: string): never {
  throw new TemplateError(`Nuclei template ${path}: ${message}`);
}

function parseRaw(raw: unknown, path: string, meta: { role: string; note: string } | undefined): TemplateRequest {
  if (typeof raw !== 'string') fail(path, 'must be a raw HTTP request string');
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text.replace(/\n$/, '') : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  const [requestLine, ...headerLines] = head.split('\n');
  const line = /^([A-Za-z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine ?? '');
  if (!line) fail(path, `request line "${(requestLine ?? '').slice(0, 80)}" must be "METHOD /target HTTP/1.1"`);
  const headers: [string, string][] = [];
  for (const headerLine of headerLines) {
    const colon = headerLine.indexOf(':');
    if (colon <= 0) fail(path, `header line "${headerLine.slice(0, 80)}" has no name`);
    const name = headerLine.slice(0, colon).trim();
    if (name.toLowerCase() === 'host') continue;
    headers.push([name, headerLine.slice(colon + 1).trim()]);
  }
  return { role: (meta?.role ?? 'payload') as TemplateRequest['role'], note: meta?.note ?? '', method: line[1], path: line[2], headers, body };
}

function toMatcher(raw: Record<string, unknown>): Matcher {
  const { 'case-insensitive': caseInsensitive, ...rest } = raw;
  return { ...(rest as unknown as Matcher), ...(caseInsensitive ? { case_insensitive: true } : {}) };
}

/** Parses Nuclei YAML written by exportNucleiTemplate back into an STS template. */
export function importNucleiTemplate(yamlText: string, options: { target?: string } = {}): ScanTemplate {
  let document: Record<string, unknown>;
  try {
    document = parse(yamlText) as Record<string, unknown>;
  } catch (error) {
    throw new TemplateError(`Nuclei template does not parse as YAML: ${(error as Error).message}`);
  }
  if (!document || typeof document !== 'object') fail('(root)', 'must be a YAML mapping');
  const info = (document.info ?? fail('info', 'is missing')) as Record<string, unknown>;
  const metadata = (info.metadata ?? {}) as Record<string, unknown>;
  const probeMeta = (metadata['txprevent-probes'] ?? []) as ProbeMetadata[];
  const targetText =
    options.target ?? (metadata['txprevent-target'] as string | undefined) ?? fail('info.metadata.txprevent-target', 'is missing and no target was given');
  let target: URL;
  try {
    target = new URL(targetText);
  } catch {
    fail('target', `"${targetText}" is not a URL like https://app.internal:8443`);
  }
  const blocks = document.http ?? document.requests;
  if (!Array.isArray(blocks) || blocks.length === 0) fail('http', 'must be a non-empty list of requests');
  const probes: Probe[] = blocks.map((rawBlock, b) => {
    const block = rawBlock as Record<string, unknown>;
    const meta = probeMeta[b];
    if (!Array.isArray(block.raw)) fail(`http[${b}].raw`, 'must be a list of raw requests (the STS imports raw-request templates only)');
    return {
      id: String(block.id ?? meta?.id ?? `probe-${b + 1}`),
      technique: meta?.technique ?? 'imported',
      confidence: meta?.confidence ?? 0.5,
      confirms: meta?.confirms ?? 'the imported matchers match',
      requests: block.raw.map((raw, r) => parseRaw(raw, `http[${b}].raw[${r}]`, meta?.requests[r])),
      matchers: ((block.matchers ?? []) as Record<string, unknown>[]).map(toMatcher),
      matchers_condition: (block['matchers-condition'] ?? 'or') as 'and' | 'or',
      extractors: ((block.extractors ?? []) as Extractor[]).map((e) => ({ ...e })),
    };
  });
  const finding = (metadata['txprevent-finding'] ?? {}) as Partial<ScanTemplate['finding']>;
  const classification = (info.classification ?? {}) as Record<string, unknown>;
  const cwe = classification['cwe-id'];
  return validateTemplate({
    schema: TEMPLATE_SCHEMA,
    id: document.id,
    name: info.name,
    description: info.description ?? '',
    severity: info.severity,
    tags:
      typeof info.tags === 'string'
        ? info.tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : (info.tags ?? []),
    cwe: Array.isArray(cwe) ? String(cwe[0] ?? '') : String(cwe ?? ''),
    finding: { id: '', version: 0, class: '', template_class: '', parameter: '', parameter_location: '', observed_status: 0, ...finding },
    target: { scheme: target.protocol.replace(':', ''), host: target.host },
    probes,
  });
}
