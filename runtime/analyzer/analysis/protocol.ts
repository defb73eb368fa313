import type { DetectionLevel } from '../engine/detection';
import type { EndpointSnapshot, EngineCounters, EngineLimits, ExchangeContext, SuppressionRule } from '../engine';
import type { BatchResult } from './batch';

/** What the analysis worker is started with (structured-cloned: the key arrives as a Uint8Array). */
export interface WorkerSetup {
  readonly scanMarkerKey?: Uint8Array;
  readonly suppressions: readonly SuppressionRule[];
  readonly catalog: boolean;
  readonly detectionLevel: DetectionLevel;
  readonly limits?: Partial<EngineLimits>;
}

/** A batch travels as one buffer of encoded exchanges and the end offset of each. */
export type WorkerRequest =
  | { readonly id: number; readonly kind: 'analyze'; readonly data: Uint8Array; readonly ends: Int32Array; readonly context: ExchangeContext }
  | { readonly id: number; readonly kind: 'openApi' }
  | { readonly id: number; readonly kind: 'inventoryChanges' };

export interface WorkerReply {
  readonly id: number;
  readonly result?: BatchResult | Record<string, unknown> | EndpointSnapshot[];
  readonly error?: string;
  /** An analyze request's batch buffer, transferred back for reuse (./batch-buffer-pool). */
  readonly returned?: ArrayBuffer;
  /** The engine's counters after this request, so the main thread can read them without asking. */
  readonly counters: EngineCounters;
}
