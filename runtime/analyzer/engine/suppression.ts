import type { SuppressionRule } from './types';

const RULE_FIELDS = ['endpoint', 'method', 'parameter', 'findingClass', 'reason'] as const;

/** Validates suppression rules from configuration; throws an Error whose message names the rule index and field. */
export function parseSuppressionRules(value: unknown): SuppressionRule[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new Error(`suppression rules must be a JSON array of rule objects, got ${typeof value}`);
  }
  return value.map((raw, index) => parseRule(raw, index));
}

function parseRule(raw: unknown, index: number): SuppressionRule {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`suppression rule ${index}: must be an object with "reason" and at least one of endpoint, method, parameter, findingClass`);
  }
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(RULE_FIELDS as readonly string[]).includes(key)) {
      throw new Error(`suppression rule ${index}: field "${key}" is unknown; allowed fields are ${RULE_FIELDS.join(', ')}`);
    }
  }
  const text = (field: (typeof RULE_FIELDS)[number], required: boolean): string | undefined => {
    const v = record[field];
    if (v === undefined) {
      if (required) throw new Error(`suppression rule ${index}: field "${field}" is required (say why the risk is accepted)`);
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      throw new Error(`suppression rule ${index}: field "${field}" must be a non-empty string`);
    }
    if (v.length > 1024) throw new Error(`suppression rule ${index}: field "${field}" is longer than 1024 characters`);
    return v.trim();
  };
  const reason = text('reason', true) as string;
  const endpoint = text('endpoint', false);
  const method = text('method', false);
  const parameter = text('parameter', false);
  const findingClass = text('findingClass', false);
  if (endpoint !== undefined && !endpoint.startsWith('/') && endpoint !== '*') {
    throw new Error(`suppression rule ${index}: field "endpoint" must start with "/" (a templated path such as /users/{id}, "*" allowed as a wildcard)`);
  }
  if (method !== undefined && !/^[A-Za-z]{1,16}$/.test(method)) {
    throw new Error(`suppression rule ${index}: field "method" must be an HTTP method token such as GET or POST`);
  }
  if (endpoint === undefined && method === undefined && parameter === undefined && findingClass === undefined) {
    throw new Error(
      `suppression rule ${index}: a rule needs at least one of endpoint, method, parameter, findingClass (a rule matching everything would silence the analyzer)`,
    );
  }
  return {
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(method !== undefined ? { method: method.toUpperCase() } : {}),
    ...(parameter !== undefined ? { parameter } : {}),
    ...(findingClass !== undefined ? { findingClass } : {}),
    reason,
  };
}

/** What a suppression rule is compared with. */
export interface SuppressionSubject {
  readonly endpoint: string;
  readonly method: string;
  readonly parameter: string | null;
  /** Every name the thing goes by: the finding class and/or the attack classification. */
  readonly classes: readonly string[];
}

interface CompiledRule {
  readonly rule: SuppressionRule;
  readonly endpoint?: (endpoint: string) => boolean;
  readonly classKey?: string;
}

/** Decides whether a finding or match is an accepted risk. */
export class SuppressionMatcher {
  private readonly rules: readonly CompiledRule[];

  constructor(rules: readonly SuppressionRule[]) {
    this.rules = rules.map((rule) => ({
      rule,
      ...(rule.endpoint !== undefined ? { endpoint: globMatcher(rule.endpoint) } : {}),
      ...(rule.findingClass !== undefined ? { classKey: classKey(rule.findingClass) } : {}),
    }));
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** The first rule that suppresses the subject, if any. */
  match(subject: SuppressionSubject): SuppressionRule | undefined {
    for (const compiled of this.rules) {
      const { rule } = compiled;
      if (rule.method !== undefined && rule.method !== subject.method.toUpperCase()) continue;
      if (rule.parameter !== undefined && rule.parameter !== subject.parameter) continue;
      if (compiled.endpoint && !compiled.endpoint(subject.endpoint)) continue;
      if (compiled.classKey !== undefined && !subject.classes.some((c) => classKey(c) === compiled.classKey)) continue;
      return rule;
    }
    return undefined;
  }
}

/** "sql_injection", "SqlInjection" and "sql-injection" name the same class. */
function classKey(name: string): string {
  return name.replace(/[_\-\s]/g, '').toLowerCase();
}

/** Glob with "*" matching any run of characters; compiled without regular expressions so it cannot backtrack. */
function globMatcher(glob: string): (value: string) => boolean {
  const parts = glob.split('*');
  if (parts.length === 1) return (value) => value === glob;
  return (value) => {
    const first = parts[0];
    const last = parts[parts.length - 1];
    if (!value.startsWith(first) || value.length < first.length + last.length || !value.endsWith(last)) return false;
    let position = first.length;
    const end = value.length - last.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const found = value.indexOf(parts[i], position);
      if (found < 0 || found + parts[i].length > end) return false;
      position = found + parts[i].length;
    }
    return true;
  };
}
