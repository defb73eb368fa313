/**
 * The exchange ids already accepted, so resent batches (after a reconnect, or a sensor that did
 * not see an ack) are not analyzed twice. Bounded: past `capacity` the oldest ids are forgotten,
 * in insertion order — resends come soon after the original, so old ids are the least useful.
 */
export class ExchangeIdSet {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
  }

  delete(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
