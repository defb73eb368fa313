/**
 * STS template → Nuclei template (YAML). Each probe becomes one `http` block of raw requests
 * (`Host: {{Hostname}}`, so the user points Nuclei at the target), with `req-condition` when the
 * probe compares several responses, the same matchers and extractors, and redirects off. What
 * Nuclei has no field for (roles, notes, confidence) travels in `info.metadata`, which Nuclei
 * keeps as free-form data, so the export parses back to the same STS template.
 */
import { stringify } from 'yaml';
import type { Extractor, Matcher, ScanTemplate, TemplateRequest } from '../template/schema';

export const NUCLEI_AUTHOR = 'tx-prevent-sts';

export interface ProbeMetadata {
  readonly id: string;
  readonly technique: string;
  readonly confidence: number;
  readonly confirms: string;
  readonly requests: readonly { readonly role: string; readonly note: string }[];
}

export function rawRequest(request: TemplateRequest): string {
  const headerLines = request.headers.map(([name, value]) => `${name}: ${value}`);
  return [`${request.method} ${request.path} HTTP/1.1`, 'Host: {{Hostname}}', ...headerLines, '', request.body].join('\n');
}

function nucleiMatcher(m: Matcher): Record<string, unknown> {
  const out: Record<string, unknown> = { type: m.type };
  if (m.name) out.name = m.name;
  if (m.part) out.part = m.part;
  if (m.words) out.words = [...m.words];
  if (m.regex) out.regex = [...m.regex];
  if (m.status) out.status = [...m.status];
  if (m.dsl) out.dsl = [...m.dsl];
  if (m.condition) out.condition = m.condition;
  if (m.negative) out.negative = true;
  if (m.case_insensitive) out['case-insensitive'] = true;
  return out;
}

function nucleiExtractor(e: Extractor): Record<string, unknown> {
  return { type: e.type, name: e.name, part: e.part, regex: [...e.regex], ...(e.group !== undefined ? { group: e.group } : {}) };
}

/** The Nuclei template as a plain object (what the YAML holds). */
export function toNucleiDocument(template: ScanTemplate): Record<string, unknown> {
  const probes: ProbeMetadata[] = template.probes.map((p) => ({
    id: p.id,
    technique: p.technique,
    confidence: p.confidence,
    confirms: p.confirms,
    requests: p.requests.map((r) => ({ role: r.role, note: r.note })),
  }));
  return {
    id: template.id,
    info: {
      name: template.name,
      author: NUCLEI_AUTHOR,
      severity: template.severity,
      description: template.description,
      tags: template.tags.join(','),
      ...(template.cwe ? { classification: { 'cwe-id': template.cwe } } : {}),
      metadata: {
        'txprevent-schema': template.schema,
        'txprevent-target': `${template.target.scheme}://${template.target.host}`,
        'txprevent-finding': { ...template.finding },
        'txprevent-probes': probes,
      },
    },
    http: template.probes.map((probe) => ({
      id: probe.id,
      raw: probe.requests.map(rawRequest),
      ...(probe.requests.length > 1 ? { 'req-condition': true } : {}),
      redirects: false,
      'matchers-condition': probe.matchers_condition,
      matchers: probe.matchers.map(nucleiMatcher),
      ...(probe.extractors.length > 0 ? { extractors: probe.extractors.map(nucleiExtractor) } : {}),
    })),
  };
}

/** The Nuclei template as YAML text. */
export function exportNucleiTemplate(template: ScanTemplate): string {
  return stringify(toNucleiDocument(template), { lineWidth: 0, blockQuote: 'literal' });
}
