/**
 * Evaluates a probe's matchers and extractors over its responses with Nuclei's semantics for a
 * request block with `req-condition: true`: every response is available as body_N, header_N,
 * status_code_N, duration_N (seconds) and content_length_N; the unindexed names refer to the
 * last response.
 */
import { evaluateDsl, evaluateDslPartial, UNKNOWN, type DslVariables } from '../dsl';
import { GoRegex } from '../go-regex';
import type { Extractor, Matcher, Probe } from '../template/schema';

export interface ObservedResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  readonly durationMs: number;
}

export function rawHeaders(headers: readonly (readonly [string, string])[]): string {
  return headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
}

export function responseVariables(responses: readonly ObservedResponse[]): DslVariables {
  const variables: Record<string, string | number> = {};
  responses.forEach((response, index) => {
    const header = rawHeaders(response.headers);
    const values = {
      body: response.body,
      header,
      all_headers: header,
      status_code: response.status,
      duration: response.durationMs / 1000,
      content_length: Buffer.byteLength(response.body),
    };
    for (const [name, value] of Object.entries(values)) {
      variables[`${name}_${index + 1}`] = value;
      if (index === responses.length - 1) variables[name] = value;
    }
  });
  return variables;
}

function partText(part: string | undefined, variables: DslVariables): string {
  const name = part ?? 'body';
  const suffix = /_(\d+)$/.exec(name)?.[0] ?? '';
  const base = suffix ? name.slice(0, -suffix.length) : name;
  if (base === 'all') return `${variables[`header${suffix}`] ?? ''}\r\n${variables[`body${suffix}`] ?? ''}`;
  const value = variables[name];
  return value === undefined ? '' : String(value);
}

function combine(results: boolean[], condition: 'and' | 'or' | undefined): boolean {
  return condition === 'and' ? results.every(Boolean) : results.some(Boolean);
}

function matcherResult(matcher: Matcher, variables: DslVariables): boolean {
  let result: boolean;
  switch (matcher.type) {
    case 'status':
      result = (matcher.status ?? []).includes(Number(variables.status_code));
      break;
    case 'word': {
      const text = matcher.case_insensitive ? partText(matcher.part, variables).toLowerCase() : partText(matcher.part, variables);
      result = combine(
        (matcher.words ?? []).map((w) => text.includes(matcher.case_insensitive ? w.toLowerCase() : w)),
        matcher.condition,
      );
      break;
    }
    case 'regex': {
      const text = partText(matcher.part, variables);
      result = combine(
        (matcher.regex ?? []).map((r) => GoRegex.compile(r).test(text)),
        matcher.condition,
      );
      break;
    }
    case 'dsl':
      result = combine(
        (matcher.dsl ?? []).map((d) => evaluateDsl(d, variables)),
        matcher.condition,
      );
      break;
  }
  return matcher.negative ? !result : result;
}

/** True when the probe's matchers (joined by matchers_condition) match its responses. */
export function probeMatches(probe: Pick<Probe, 'matchers' | 'matchers_condition'>, responses: readonly ObservedResponse[]): boolean {
  if (probe.matchers.length === 0) return false;
  const variables = responseVariables(responses);
  return combine(
    probe.matchers.map((m) => matcherResult(m, variables)),
    probe.matchers_condition,
  );
}

type Tri = boolean | typeof UNKNOWN;

function kleene(values: Tri[], condition: 'and' | 'or' | undefined): Tri {
  const decisive = condition !== 'and';
  if (values.some((v) => v === decisive)) return decisive;
  return values.includes(UNKNOWN) ? UNKNOWN : !decisive;
}

/**
 * True only when the responses so far already decide a match, whatever the remaining ones will
 * be (dsl matchers over indexed responses; other matcher types wait for all responses). The
 * executor uses it to stop a probe early; the full evaluation would match too.
 */
export function probeCertainlyMatches(probe: Pick<Probe, 'matchers' | 'matchers_condition'>, responses: readonly ObservedResponse[]): boolean {
  if (probe.matchers.length === 0 || probe.matchers.some((m) => m.type !== 'dsl')) return false;
  const variables: Record<string, string | number | boolean> = { ...responseVariables(responses) };
  for (const name of Object.keys(variables)) if (!/_\d+$/.test(name)) delete variables[name];
  const results = probe.matchers.map((m) => {
    const value = kleene(
      (m.dsl ?? []).map((d) => evaluateDslPartial(d, variables)),
      m.condition,
    );
    return m.negative && value !== UNKNOWN ? !value : value;
  });
  return kleene(results, probe.matchers_condition) === true;
}

/** Values the probe's extractors pull out of its responses, by extractor name. */
export function runExtractors(extractors: readonly Extractor[], responses: readonly ObservedResponse[]): Record<string, string[]> {
  const variables = responseVariables(responses);
  const out: Record<string, string[]> = {};
  for (const extractor of extractors) {
    const text = partText(extractor.part, variables);
    const values = new Set<string>();
    for (const pattern of extractor.regex) {
      for (const match of GoRegex.compile(pattern).all(text)) {
        const value = match.groups[extractor.group ?? 0];
        if (value !== undefined) values.add(value);
        if (values.size >= 20) break;
      }
    }
    out[extractor.name] = [...values];
  }
  return out;
}
