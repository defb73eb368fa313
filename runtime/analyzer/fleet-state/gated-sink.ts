import type { RoutableEvent } from '../events';
import { PartialDeliveryError, type DeliveryEvent, type Sink } from '../sinks';
import type { FindingClaims } from './finding-claims';

/**
 * A sink that delivers only the findings this analyzer emits for the fleet (and, for the STS,
 * only the scans the fleet has not had). Other events pass unchanged; the wrapped sink keeps its
 * name, so its spool offset is the same as without the fleet state.
 */
export class FleetGatedSink implements Sink {
  readonly name: string;

  constructor(
    private readonly inner: Sink,
    private readonly claims: FindingClaims,
    private readonly scans: boolean,
  ) {
    this.name = inner.name;
  }

  accepts(event: RoutableEvent): boolean {
    return this.inner.accepts(event);
  }

  async deliver(events: readonly DeliveryEvent[]): Promise<void> {
    const decisions = await Promise.all(events.map((event) => this.claims.allows(event.event, this.scans)));
    const kept = events.filter((_, index) => decisions[index]);
    if (kept.length === 0) return;
    try {
      await this.inner.deliver(kept);
    } catch (error) {
      if (!(error instanceof PartialDeliveryError)) throw error;
      // Map "the first n kept events went out" back to positions in the whole batch.
      let delivered = 0;
      let seen = 0;
      for (const decision of decisions) {
        if (decision) {
          if (seen === error.delivered) break;
          seen++;
        }
        delivered++;
      }
      throw new PartialDeliveryError(error.message, delivered);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
