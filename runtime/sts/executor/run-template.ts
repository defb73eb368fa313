/**
 * Runs a template's probes in order against one checked target, within the scan's request and
 * time budgets and the per-host rate limit, and stops at the first probe whose matchers match.
 */
import { signScanMarker } from '../../scan-marker';
import { SCAN_MARKER_HEADER } from '../../proto';
import { probeCertainlyMatches, probeMatches, type ObservedResponse } from '../matchers';
import { AbortedError, type HostRateLimiter, type ScanTarget } from '../safety';
import type { Probe, ScanTemplate, TemplateRequest } from '../template/schema';
import type { AuditSink } from './audit-log';
import { applyCredentials, type HostCredentials } from './credentials';
import { sendRequest, SendError, type WireResponse } from './http-client';

export interface ExecutionContext {
  readonly scanId: string;
  readonly findingId: string;
  readonly target: ScanTarget;
  readonly rateLimiter: HostRateLimiter;
  readonly audit: AuditSink;
  readonly markerKey: Buffer;
  readonly userAgent: string;
  readonly credentials?: HostCredentials;
  /** Hard cap on requests this scan may send. */
  readonly maxRequests: number;
  /** Epoch milliseconds after which no request starts and running ones are cut. */
  readonly deadline: number;
  readonly requestTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly verifyTls: boolean;
  /** Aborted by the kill switch or shutdown. */
  readonly signal: AbortSignal;
}

export interface SentRequest {
  readonly request: TemplateRequest;
  /** The headers as sent, credentials and marker included (redact before showing). */
  readonly sentHeaders: readonly (readonly [string, string])[];
  readonly response?: WireResponse;
  readonly error?: string;
  readonly durationMs: number;
}

export interface ProbeExecution {
  readonly probe: Probe;
  readonly sent: readonly SentRequest[];
  /** Every request sent got a response (a probe may stop early once its match is certain). */
  readonly complete: boolean;
  readonly matched: boolean;
}

export type StopReason = 'request_budget' | 'time_budget' | 'stopped';

export interface TemplateExecution {
  readonly probes: readonly ProbeExecution[];
  readonly requestsSent: number;
  readonly durationMs: number;
  readonly stopped?: StopReason;
}

function rateKey(target: ScanTarget): string {
  return `${target.address}:${target.port}`;
}

function responsesOf(sent: readonly SentRequest[]): ObservedResponse[] {
  return sent.filter((s) => s.response).map((s) => s.response as WireResponse);
}

export async function executeTemplate(template: ScanTemplate, context: ExecutionContext): Promise<TemplateExecution> {
  const started = Date.now();
  const probes: ProbeExecution[] = [];
  let requestsSent = 0;
  let stopped: StopReason | undefined;
  for (const probe of template.probes) {
    if (context.signal.aborted) {
      stopped = 'stopped';
      break;
    }
    if (requestsSent + probe.requests.length > context.maxRequests) {
      stopped = 'request_budget';
      break;
    }
    const sent: SentRequest[] = [];
    let complete = true;
    let decidedEarly = false;
    for (const request of probe.requests) {
      const remaining = context.deadline - Date.now();
      if (remaining <= 0) {
        stopped = 'time_budget';
        complete = false;
        break;
      }
      let release: (() => void) | undefined;
      try {
        release = await context.rateLimiter.acquire(rateKey(context.target), context.signal);
      } catch (error) {
        if (!(error instanceof AbortedError)) throw error;
        stopped = 'stopped';
        complete = false;
        break;
      }
      if (context.deadline - Date.now() <= 0) {
        release();
        stopped = 'time_budget';
        complete = false;
        break;
      }
      const headers: [string, string][] = [
        ...applyCredentials(request.headers, context.credentials).filter(([n]) => n.toLowerCase() !== 'user-agent'),
        ['User-Agent', context.userAgent],
        [SCAN_MARKER_HEADER, signScanMarker(context.scanId, context.markerKey)],
      ];
      requestsSent++;
      let response: WireResponse | undefined;
      let error: string | undefined;
      const sendStarted = Date.now();
      try {
        response = await sendRequest(
          context.target,
          { ...request, headers },
          {
            timeoutMs: Math.min(context.requestTimeoutMs, context.deadline - Date.now()),
            maxBodyBytes: context.maxBodyBytes,
            verifyTls: context.verifyTls,
            signal: context.signal,
          },
        );
      } catch (e) {
        if (!(e instanceof SendError)) throw e;
        error = e.message;
      } finally {
        release();
      }
      const durationMs = response?.durationMs ?? Date.now() - sendStarted;
      context.audit.write({
        type: 'scan_request',
        scan_id: context.scanId,
        finding_id: context.findingId,
        probe: probe.id,
        role: request.role,
        method: request.method,
        host: context.target.hostHeader,
        address: context.target.address,
        port: context.target.port,
        path: request.path.length > 512 ? `${request.path.slice(0, 512)}...` : request.path,
        request_bytes: Buffer.byteLength(request.body),
        ...(response ? { status: response.status, response_bytes: Buffer.byteLength(response.body) } : {}),
        elapsed_ms: durationMs,
        ...(error ? { error } : {}),
      });
      sent.push({ request, sentHeaders: headers, response, error, durationMs });
      if (!response) {
        complete = false;
        if (context.signal.aborted) stopped = 'stopped';
        else if (context.deadline - Date.now() <= 0) stopped = 'time_budget';
        break;
      }
      if (sent.length < probe.requests.length && probeCertainlyMatches(probe, responsesOf(sent))) {
        decidedEarly = true;
        break;
      }
    }
    const matched = decidedEarly || (complete && probeMatches(probe, responsesOf(sent)));
    probes.push({ probe, sent, complete, matched });
    if (matched || stopped) break;
  }
  return { probes, requestsSent, durationMs: Date.now() - started, ...(stopped ? { stopped } : {}) };
}
