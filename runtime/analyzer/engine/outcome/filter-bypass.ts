/**
 * Extension or path-filter bypass (CWE-158/CWE-41): a path the server refuses (401/403) is served
 * when a null byte or its encodings cut the name, so the filter saw one extension and the file
 * system another ("backup.bak%2500.md").
 */
import type { FindingObservation } from '../finding-store';
import type { RequestView, ResponseView } from '../message-view';

/** The null byte as a path carries it after one decoding: raw, once or twice encoded. */
const NULL_BYTE = /\u0000|%00|%2500/i;

/** The path the trick stands for (cut at the null byte), or undefined when there is no trick. */
export function untrickedPath(path: string): string | undefined {
  const at = NULL_BYTE.exec(path);
  return at && at.index > 1 ? path.slice(0, at.index) : undefined;
}

/** Paths recently refused, per host, bounded. */
export class RefusedPaths {
  private readonly refused = new Map<string, number>();
  constructor(private readonly max: number) {}

  record(host: string, path: string, status: number): void {
    if (status !== 401 && status !== 403) return;
    const key = `${host}\u0000${path}`;
    this.refused.delete(key);
    if (this.refused.size >= this.max) {
      const oldest = this.refused.keys().next().value;
      if (oldest !== undefined) this.refused.delete(oldest);
    }
    this.refused.set(key, status);
  }

  status(host: string, path: string): number | undefined {
    return this.refused.get(`${host}\u0000${path}`);
  }
}

export function filterBypass(request: RequestView, response: ResponseView, refused: RefusedPaths): FindingObservation | undefined {
  if (response.status < 200 || response.status >= 300) return undefined;
  const twin = untrickedPath(request.path);
  if (twin === undefined) return undefined;
  const twinStatus = refused.status(request.host, twin);
  if (twinStatus === undefined) return undefined;
  return {
    class: 'filter_bypass',
    title: 'Extension filter bypassed with a null byte',
    cwe: 'CWE-158',
    severity: 'high',
    confidence: 0.85,
    parameter: null,
    parameterLocation: 'path',
    evidence: `${twin.slice(0, 120)} is refused with ${twinStatus}, but ${request.rawPath.slice(0, 160)} was served with ${response.status}`,
    scanClass: 'filter_bypass',
  };
}
