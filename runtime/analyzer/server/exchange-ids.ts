/**
 * The exchange ids already accepted, so resent batches (after a reconnect, or a sensor that did
 * not see an ack) are not analyzed twice. Bounded: past `capacity` the oldest ids are forgotten,
 * in insertion order — resends come soon after the original, so old ids are the least useful.
 *
 * Ids follow the contract, `<sensor id>:<boot id>:<counter>`, so they are held compactly: the
 * counter as a number in a set per sensor and boot (and digit count, so `007` and `7` stay
 * distinct), instead of the whole string: about 48 bytes per id instead of about 81, so 24 MB
 * instead of 40 MB on the analyzer's main thread at the default capacity (500,000 ids). Ids of
 * any other shape are held as they are.
 */

/** Longest counter held as a number: every 15-digit integer is exact in a double. */
const MAX_COUNTER_DIGITS = 15;

export class ExchangeIdSet {
  private readonly counters = new Map<string, Set<number>>();
  private readonly others = new Set<string>();
  /** Insertion order, oldest first from `head`: the set a counter went into (with the counter), or the id itself. */
  private orderOwners: Array<Set<number> | string> = [];
  private orderCounters: number[] = [];
  private head = 0;
  private members = 0;

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    const split = splitId(id);
    if (split === undefined) return this.others.has(id);
    return this.counters.get(split.series)?.has(split.counter) ?? false;
  }

  /** Adds the id; false when it was already there (a resend). */
  add(id: string): boolean {
    const split = splitId(id);
    if (split === undefined) {
      if (this.others.has(id)) return false;
      this.others.add(id);
      this.remember(id, 0);
    } else {
      let set = this.counters.get(split.series);
      if (set === undefined) this.counters.set(split.series, (set = new Set()));
      if (set.has(split.counter)) return false;
      set.add(split.counter);
      this.remember(set, split.counter);
    }
    this.members++;
    // Entries of deleted ids stay in the order until their turn, so the order can be longer than the
    // members; an id deleted (its batch failed) and accepted again is forgotten at its first turn.
    while (this.members > this.capacity) this.forgetOldest();
    return true;
  }

  delete(id: string): void {
    const split = splitId(id);
    const removed = split === undefined ? this.others.delete(id) : (this.counters.get(split.series)?.delete(split.counter) ?? false);
    if (removed) this.members--;
  }

  get size(): number {
    return this.members;
  }

  private remember(owner: Set<number> | string, counter: number): void {
    this.orderOwners.push(owner);
    this.orderCounters.push(counter);
  }

  private forgetOldest(): void {
    while (this.head < this.orderOwners.length) {
      const owner = this.orderOwners[this.head]!;
      const counter = this.orderCounters[this.head]!;
      this.head++;
      const removed = typeof owner === 'string' ? this.others.delete(owner) : owner.delete(counter);
      if (removed) {
        this.members--;
        if (typeof owner !== 'string' && owner.size === 0) this.dropEmptySeries(owner);
        break;
      }
    }
    // Drop the forgotten part of the order once it is half of it (amortised O(1) per id).
    if (this.head > 1024 && this.head * 2 > this.orderOwners.length) {
      this.orderOwners = this.orderOwners.slice(this.head);
      this.orderCounters = this.orderCounters.slice(this.head);
      this.head = 0;
    }
  }

  /** A sensor boot whose ids have all been forgotten: its (empty) set goes too, so old boots do not pile up. */
  private dropEmptySeries(set: Set<number>): void {
    for (const [series, candidate] of this.counters) {
      if (candidate !== set) continue;
      this.counters.delete(series);
      return;
    }
  }
}

/** `<prefix up to the last ':'>#<digits>` and the counter, or undefined when the id does not end in a counter. */
function splitId(id: string): { series: string; counter: number } | undefined {
  const colon = id.lastIndexOf(':');
  const digits = id.length - colon - 1;
  if (colon < 0 || digits < 1 || digits > MAX_COUNTER_DIGITS) return undefined;
  for (let i = colon + 1; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
  }
  return { series: `${id.slice(0, colon + 1)}#${digits}`, counter: Number(id.slice(colon + 1)) };
}
