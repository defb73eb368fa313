import type { RoutableEvent } from '../events';
import type { ErrorCode } from '../../errors';

/** One event read from the spool, as parsed and as the exact JSON that was spooled. */
export interface DeliveryEvent {
  readonly event: RoutableEvent;
  readonly json: string;
}

/** Thrown by a sink when only the first `delivered` events of a batch went out. */
export class PartialDeliveryError extends Error {
  readonly code = 'TXP_SINK_PARTIAL_DELIVERY' satisfies ErrorCode;
  constructor(
    message: string,
    readonly delivered: number,
  ) {
    super(message);
    this.name = 'PartialDeliveryError';
  }
}

/**
 * A destination for analyzer events. The runner calls `deliver` with batches in spool order and
 * retries (with backoff) whatever was not delivered, so every accepted event reaches the sink at
 * least once; a sink must therefore tolerate duplicates after failures.
 */
export interface Sink {
  /** Unique, stable name: also the spool consumer name that keeps this sink's offset. */
  readonly name: string;
  /** Whether the sink wants the event; events it does not want count as delivered. */
  accepts(event: RoutableEvent): boolean;
  /** Delivers all events, or throws (PartialDeliveryError when some of them went out). */
  deliver(events: readonly DeliveryEvent[]): Promise<void>;
  close(): Promise<void>;
}
