/**
 * One scan, start to end: finding → template → safety checks (kill switch, request safety,
 * credentials, scope with a single resolution) → bounded execution → efficacy → outcome. Also
 * re-runs a given template (an exported one, for instance) through the same checks.
 */
import type { Finding__Output } from '../../proto';
import { decide, type EvidenceItem } from '../efficacy';
import { credentialsFor, executeTemplate, type AuditSink, type CredentialStore } from '../executor';
import { generateTemplate } from '../generate';
import { destructiveProblem, type HostRateLimiter, type KillSwitch, type RequestSafetyOptions, type ScopePolicy } from '../safety';
import type { ScanTemplate } from '../template/schema';
import { TemplateError, validateTemplate } from '../template/validate';

export type OutcomeStatus = 'confirmed' | 'not_confirmed' | 'inconclusive' | 'unsupported' | 'refused';

export interface ScanOutcome {
  readonly status: OutcomeStatus;
  readonly confidence: number;
  readonly reason: string;
  readonly evidence: readonly EvidenceItem[];
  readonly requestsSent: number;
  readonly durationMs: number;
  /** The template that ran (or would have run); absent for unsupported classes. */
  readonly template?: ScanTemplate;
}

/** A template to run, or the final answer when there is nothing to run. */
export type ScanPlan = { readonly template: ScanTemplate; readonly needsCredentials: boolean } | { readonly status: OutcomeStatus; readonly reason: string };

export interface ScannerOptions {
  readonly scope: ScopePolicy;
  readonly rateLimiter: HostRateLimiter;
  readonly audit: AuditSink;
  readonly killSwitch: KillSwitch;
  readonly markerKey: Buffer;
  readonly userAgent: string;
  readonly credentials: CredentialStore;
  readonly requestSafety: RequestSafetyOptions;
  readonly requestBudget: number;
  readonly timeBudgetMs: number;
  readonly requestTimeoutMs: number;
  readonly timeDelaySeconds: number;
  readonly maxBodyBytes: number;
  readonly verifyTls: boolean;
}

export class Scanner {
  constructor(private readonly options: ScannerOptions) {}

  private finish(scanId: string, findingId: string, outcome: ScanOutcome): ScanOutcome {
    this.options.audit.write({
      type: 'scan_decision',
      scan_id: scanId,
      finding_id: findingId,
      decision: outcome.status,
      reason: outcome.reason,
      requests_sent: outcome.requestsSent,
      duration_ms: outcome.durationMs,
    });
    return outcome;
  }

  private refused(scanId: string, findingId: string, reason: string, template?: ScanTemplate): ScanOutcome {
    return this.finish(scanId, findingId, { status: 'refused', confidence: 0, reason, evidence: [], requestsSent: 0, durationMs: 0, template });
  }

  /** What a finding would get without scanning: a template, or a final answer. */
  plan(finding: Finding__Output): ScanPlan {
    const generated = generateTemplate(finding, { timeDelaySeconds: this.options.timeDelaySeconds });
    if (generated.kind === 'unsupported')
      return { status: 'unsupported', reason: `${generated.reason}; supported classes are listed in docs/sts.md (Finding classes)` };
    if (generated.kind === 'invalid') return { status: 'inconclusive', reason: `Cannot build a scan from this finding: ${generated.reason}.` };
    return { template: generated.template, needsCredentials: generated.needsCredentials };
  }

  /** Scans a finding; `plan` may be passed when the caller already made it. */
  async scanFinding(finding: Finding__Output, scanId: string, signal: AbortSignal, plan: ScanPlan = this.plan(finding)): Promise<ScanOutcome> {
    if ('status' in plan)
      return this.finish(scanId, finding.finding_id, { status: plan.status, confidence: 0, reason: plan.reason, evidence: [], requestsSent: 0, durationMs: 0 });
    const server = finding.exchange?.server;
    return this.runTemplate(plan.template, scanId, signal, {
      needsCredentials: plan.needsCredentials,
      observedServer: server?.ip ? { ip: server.ip, port: server.port } : undefined,
    });
  }

  async runTemplate(
    template: ScanTemplate,
    scanId: string,
    signal: AbortSignal,
    context: { needsCredentials?: boolean; observedServer?: { ip: string; port: number } } = {},
  ): Promise<ScanOutcome> {
    const findingId = template.finding.id;
    try {
      validateTemplate(template);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      return this.finish(scanId, findingId, {
        status: 'inconclusive',
        confidence: 0,
        reason: `Cannot run this scan: ${error.message}.`,
        evidence: [],
        requestsSent: 0,
        durationMs: 0,
        template,
      });
    }
    if (this.options.killSwitch.engaged) return this.refused(scanId, findingId, 'The kill switch (STS_KILL_SWITCH) is engaged: no scans run.', template);
    const unsafe = destructiveProblem(template, this.options.requestSafety);
    if (unsafe) return this.refused(scanId, findingId, `Refused by the request safety policy: ${unsafe}.`, template);
    const credentials = credentialsFor(this.options.credentials, template.target.host);
    if (context.needsCredentials && !credentials) {
      return this.refused(
        scanId,
        findingId,
        `The endpoint needs authentication (the observed request carried credentials, which sensors redact) and no credentials are configured for ${template.target.host} in STS_CREDENTIALS.`,
        template,
      );
    }
    const smallest = Math.min(...template.probes.map((p) => p.requests.length));
    if (smallest > this.options.requestBudget) {
      return this.refused(
        scanId,
        findingId,
        `Every probe needs more than the request budget of ${this.options.requestBudget} requests (STS_SCAN_REQUEST_BUDGET).`,
        template,
      );
    }
    const scope = await this.options.scope.check(template.target.scheme, template.target.host, context.observedServer);
    if (!scope.allowed) return this.refused(scanId, findingId, `Refused by the scope policy: ${scope.reason}.`, template);

    const controller = new AbortController();
    const stop = () => controller.abort();
    signal.addEventListener('abort', stop, { once: true });
    const unsubscribe = this.options.killSwitch.onChange((engaged) => engaged && stop());
    try {
      const execution = await executeTemplate(template, {
        scanId,
        findingId,
        target: scope.target,
        rateLimiter: this.options.rateLimiter,
        audit: this.options.audit,
        markerKey: this.options.markerKey,
        userAgent: this.options.userAgent,
        credentials,
        maxRequests: this.options.requestBudget,
        deadline: Date.now() + this.options.timeBudgetMs,
        requestTimeoutMs: this.options.requestTimeoutMs,
        maxBodyBytes: this.options.maxBodyBytes,
        verifyTls: this.options.verifyTls,
        signal: controller.signal,
      });
      const decision = decide(template, execution);
      return this.finish(scanId, findingId, {
        status: decision.status,
        confidence: decision.confidence,
        reason: decision.reason,
        evidence: decision.evidence,
        requestsSent: execution.requestsSent,
        durationMs: execution.durationMs,
        template,
      });
    } finally {
      signal.removeEventListener('abort', stop);
      unsubscribe();
    }
  }
}
