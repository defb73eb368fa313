/**
 * Non-destructive by default: methods that change or delete state, and payloads that would
 * (SQL writes, file removal, shutdown), are refused unless destructive scanning is enabled.
 * Applied to every template before it runs, including templates read from files.
 */
import type { ScanTemplate } from '../template/schema';

export const DEFAULT_DESTRUCTIVE_METHODS: readonly string[] = ['PUT', 'PATCH', 'DELETE'];
/** Never sent, even with destructive scanning enabled: they do not test the application. */
export const FORBIDDEN_METHODS: readonly string[] = ['CONNECT', 'TRACE'];

const DESTRUCTIVE_PAYLOAD =
  /\b(drop\s+(table|database|schema)|truncate\s+table|delete\s+from|update\s+[\w.`"[\]]+\s+set|insert\s+into|alter\s+table|shutdown|xp_cmdshell|rm\s+-[a-z]*[rf]|mkfs|dd\s+if=|reboot|halt\b|poweroff|format\s+[a-z]:)/i;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export interface RequestSafetyOptions {
  readonly allowDestructive: boolean;
  readonly destructiveMethods: readonly string[];
}

/** The reason the template may not run, or undefined when it may. */
export function destructiveProblem(template: ScanTemplate, options: RequestSafetyOptions): string | undefined {
  for (const probe of template.probes) {
    for (const request of probe.requests) {
      const method = request.method.toUpperCase();
      if (FORBIDDEN_METHODS.includes(method)) return `probe ${probe.id} uses ${method}, which the STS never sends`;
      if (options.allowDestructive) continue;
      if (options.destructiveMethods.includes(method)) {
        return `probe ${probe.id} uses ${method}, a state-changing method; set STS_ALLOW_DESTRUCTIVE=true to scan such endpoints`;
      }
      const text = [request.path, request.body, ...request.headers.map(([, v]) => v)].map(decoded).join('\n');
      const hit = DESTRUCTIVE_PAYLOAD.exec(text);
      if (hit) return `probe ${probe.id} carries a destructive payload ("${hit[0]}"); set STS_ALLOW_DESTRUCTIVE=true to allow it`;
    }
  }
  return undefined;
}
