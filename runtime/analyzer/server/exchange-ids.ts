/**
 * The exchange ids already accepted, so resent batches (after a reconnect, or a sensor that did
 * not see an ack) are not analyzed twice. Bounded: past `capacity` the oldest ids are forgotten,
 * in insertion order — resends come soon after the original, so old ids are the least useful.
 *
 * Ids follow the contract, `<sensor id>:<boot id>:<counter>`, and a sensor numbers its exchanges
 * one by one, so the ids of a sensor boot arrive as runs of consecutive counters. They are held
 * as such: per sensor boot (and digit count, so `007` and `7` stay distinct) one run `lo..hi` with
 * the deleted ids inside it as holes, and the counters that did not extend the run in a set; the
 * insertion order is kept as chunks of consecutive counters of one boot. A sensor's stream then
 * costs a few bytes per batch instead of about 48 bytes per id (a set entry and its place in the
 * order), which at the default capacity (500,000 ids) took 75–80 MB of the analyzer's RSS under
 * load. Ids out of order cost more than before, about 107 bytes each (a set entry and a chunk of
 * their own), and ids of any other shape about 90 (the string itself, a set entry, a chunk): no
 * sensor sends such ids, so the worst case is paid only by a client that makes them up.
 */

/** Longest counter held as a number: every 15-digit integer is exact in a double. */
const MAX_COUNTER_DIGITS = 15;
/** Start of an order chunk that holds an id of another shape (the chunk's key is the id itself). */
const OTHER_ID = -1;

/** The counters accepted from one sensor boot: `lo..hi` except `holes`, and `scattered`. */
interface Series {
  /** Empty when lo > hi; otherwise lo and hi are members. */
  lo: number;
  hi: number;
  holes: Set<number> | undefined;
  scattered: Set<number> | undefined;
}

export class ExchangeIdSet {
  private readonly series = new Map<string, Series>();
  private readonly others = new Set<string>();
  /**
   * Insertion order, oldest first from `head`, as chunks: `count` consecutive counters from
   * `start` of the series `key`, or (start OTHER_ID) the id `key` itself. Series are looked up by
   * key when forgotten, so a boot whose set was dropped and started again is still found.
   */
  private orderKeys: string[] = [];
  private orderStarts: number[] = [];
  private orderCounts: number[] = [];
  private head = 0;
  private members = 0;

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    const split = splitId(id);
    if (split === undefined) return this.others.has(id);
    const series = this.series.get(split.series);
    return series !== undefined && holds(series, split.counter);
  }

  /** Adds the id; false when it was already there (a resend). */
  add(id: string): boolean {
    const split = splitId(id);
    if (split === undefined) {
      if (this.others.has(id)) return false;
      this.others.add(id);
      this.remember(id, OTHER_ID);
    } else {
      const { counter } = split;
      let series = this.series.get(split.series);
      if (series === undefined) this.series.set(split.series, (series = { lo: 1, hi: 0, holes: undefined, scattered: undefined }));
      if (holds(series, counter)) return false;
      if (series.lo > series.hi) series.lo = series.hi = counter;
      else if (counter === series.hi + 1) series.hi = counter;
      // Inside the run, an id that is no member is one of its holes.
      else if (counter > series.lo && counter < series.hi) series.holes!.delete(counter);
      else (series.scattered ??= new Set()).add(counter);
      this.remember(split.series, counter);
    }
    this.members++;
    // Chunks of deleted ids stay in the order until their turn, so the order can hold more ids than
    // the members; an id deleted and accepted again is forgotten at its first turn.
    while (this.members > this.capacity) this.forgetOldest();
    return true;
  }

  delete(id: string): void {
    const split = splitId(id);
    if (split === undefined) {
      if (this.others.delete(id)) this.members--;
      return;
    }
    const series = this.series.get(split.series);
    if (series === undefined || !holds(series, split.counter)) return;
    remove(series, split.counter);
    this.members--;
  }

  get size(): number {
    return this.members;
  }

  private remember(key: string, counter: number): void {
    const last = this.orderKeys.length - 1;
    if (
      counter !== OTHER_ID &&
      last >= this.head &&
      this.orderStarts[last] !== OTHER_ID &&
      this.orderStarts[last]! + this.orderCounts[last]! === counter &&
      this.orderKeys[last] === key
    ) {
      this.orderCounts[last]!++;
      return;
    }
    this.orderKeys.push(key);
    this.orderStarts.push(counter);
    this.orderCounts.push(1);
  }

  private forgetOldest(): void {
    while (this.head < this.orderKeys.length) {
      const key = this.orderKeys[this.head]!;
      const start = this.orderStarts[this.head]!;
      if (start === OTHER_ID || this.orderCounts[this.head] === 1) this.head++;
      else {
        this.orderStarts[this.head]!++;
        this.orderCounts[this.head]!--;
      }
      if (start === OTHER_ID) {
        if (!this.others.delete(key)) continue;
      } else {
        const series = this.series.get(key);
        if (series === undefined || !holds(series, start)) continue;
        remove(series, start);
        // A sensor boot whose ids have all been forgotten goes too, so old boots do not pile up.
        if (series.lo > series.hi && (series.scattered === undefined || series.scattered.size === 0)) this.series.delete(key);
      }
      this.members--;
      break;
    }
    // Drop the forgotten part of the order once it is half of it (amortised O(1) per chunk).
    if (this.head > 1024 && this.head * 2 > this.orderKeys.length) {
      this.orderKeys = this.orderKeys.slice(this.head);
      this.orderStarts = this.orderStarts.slice(this.head);
      this.orderCounts = this.orderCounts.slice(this.head);
      this.head = 0;
    }
  }
}

function holds(series: Series, counter: number): boolean {
  if (counter >= series.lo && counter <= series.hi) return series.holes === undefined || !series.holes.has(counter);
  return series.scattered !== undefined && series.scattered.has(counter);
}

/** Removes a member counter; the run's ends stay members, so holes at an end go with it. */
function remove(series: Series, counter: number): void {
  if (series.scattered !== undefined && series.scattered.delete(counter)) return;
  if (counter === series.lo) {
    series.lo++;
    while (series.lo <= series.hi && series.holes !== undefined && series.holes.delete(series.lo)) series.lo++;
  } else if (counter === series.hi) {
    series.hi--;
    while (series.hi >= series.lo && series.holes !== undefined && series.holes.delete(series.hi)) series.hi--;
  } else (series.holes ??= new Set()).add(counter);
  if (series.lo > series.hi) {
    series.lo = 1;
    series.hi = 0;
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
