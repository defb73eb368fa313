/**
 * Attack outcome: for requests that matched attack rules, judge the response against what the
 * endpoint answers ordinary requests (its learned baseline) and against success signatures, and
 * raise "attack succeeded" findings. Ordinary requests teach the baselines.
 */
import type { FindingObservation } from '../finding-store';
import type { RequestView, ResponseView } from '../message-view';
import type { AttackHit } from '../detection';
import { authBypass } from './auth-bypass';
import { changedAnswer } from './changed-answer';
import { EndpointBaselines } from './endpoint-baseline';
import { errorBasedInjection } from './error-injection';
import { fileDisclosure } from './file-disclosure';
import { filterBypass, RefusedPaths } from './filter-bypass';
import { sqlDataExtraction } from './sql-extraction';
import { BodyText } from '../text-index';

export { loginLike } from './auth-bypass';
export { untrickedPath } from './filter-bypass';
export { UNION_SELECT } from './sql-extraction';
export { ERROR_FAMILIES, FILE_SIGNATURES, OUTCOME_PREFILTER } from './outcome-signatures';
export { textShape } from './json-rows';

export class AttackOutcomes {
  private readonly baselines: EndpointBaselines;
  private readonly refused: RefusedPaths;

  constructor(maxEndpoints: number) {
    this.baselines = new EndpointBaselines(maxEndpoints);
    this.refused = new RefusedPaths(maxEndpoints);
  }

  /**
   * Learns from an ordinary exchange, or judges an attack's outcome.
   * @param body the response body's text (shared with the rest of the response analysis)
   */
  observe(
    request: RequestView,
    response: ResponseView,
    hits: readonly AttackHit[],
    endpoint: string,
    upstreamMs: number | null = null,
    body: BodyText = new BodyText(response.body),
  ): FindingObservation[] {
    const key = EndpointBaselines.key(request.method, request.host, endpoint);
    // A refusal teaches the filter's twin even when the request looked like an attack (probing for .bak files does).
    this.refused.record(request.host, request.path, response.status);
    const out: FindingObservation[] = [];
    const bypass = filterBypass(request, response, this.refused);
    if (bypass) out.push(bypass);
    if (hits.length === 0) {
      this.baselines.learn(key, response, upstreamMs, body);
      return out;
    }
    const baseline = this.baselines.get(key);
    const auth = authBypass(request, response, hits, baseline);
    if (auth) out.push(auth);
    const lower = body.lower;
    const file = fileDisclosure(response, lower, hits, baseline);
    if (file) out.push(file);
    const extraction = sqlDataExtraction(response, hits, baseline);
    if (extraction) out.push(extraction);
    // A UNION that returned data is the stronger proof of the same SQL injection.
    out.push(...errorBasedInjection(lower, hits, baseline).filter((f) => !(extraction && f.class === extraction.class)));
    // Without proof of success, a changed answer is only worth an active check.
    if (out.length === 0) {
      const changed = changedAnswer(response, upstreamMs, hits, baseline);
      if (changed) out.push(changed);
    }
    return out;
  }
}
