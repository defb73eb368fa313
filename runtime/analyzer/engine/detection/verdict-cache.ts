/**
 * Remembered verdicts by location, name, lower-cased name and value, in two generations: when the
 * current one is full it becomes the previous one (the older is dropped), and a value found only
 * in the previous generation moves back to the current. Values that come with every request (the
 * same User-Agent, Accept, cookies, paths) stay remembered however many one-off values pass by,
 * where a cache that starts over when full forgets them all at once. A generation is full at
 * `capacity` entries, or, with a weight per entry (the characters it holds), at `capacity` of that
 * weight.
 *
 * Entries are found by value, then by a short list of the places it was seen: a look-up hashes
 * only the value (names are compared, not hashed; most are fresh strings cut from the request, so
 * each hash would be computed anew) and builds no key string.
 */
interface Entry<T> {
  readonly location: string;
  readonly name: string;
  readonly lowerName: string;
  verdict: T;
  next: Entry<T> | undefined;
}
type Generation<T> = Map<string, Entry<T>>;

/**
 * Places remembered per value and generation: a value sent under many names (`1`, `true`) keeps
 * the latest ones, and a look-up compares at most this many.
 */
const MAX_PLACES_PER_VALUE = 8;

function entryOf<T>(generation: Generation<T>, location: string, name: string, lowerName: string, value: string): Entry<T> | undefined {
  for (let entry = generation.get(value); entry !== undefined; entry = entry.next)
    if (entry.location === location && entry.name === name && entry.lowerName === lowerName) return entry;
  return undefined;
}

export class VerdictCache<T> {
  private current: Generation<T> = new Map();
  private previous: Generation<T> = new Map();
  private size = 0;

  /**
   * @param capacity entries (or weight) per generation: at most twice as much is held, plus the
   *   one entry that fills a generation
   * @param weigh an entry's weight @default 1 per entry
   * @param own the string a new key is stored as: a key cut from a larger string (a cookie from
   *   its header, a window of a body) would keep that whole string alive, so callers pass a copy
   *   function @default the key itself
   */
  constructor(
    private readonly capacity: number,
    private readonly weigh: (value: string, verdict: T) => number = () => 1,
    private readonly own: (key: string) => string = (key) => key,
  ) {}

  get(location: string, name: string, lowerName: string, value: string): T | undefined {
    const found = entryOf(this.current, location, name, lowerName, value);
    if (found !== undefined) return found.verdict;
    const old = entryOf(this.previous, location, name, lowerName, value);
    // Moved back under the caller's strings, which `set` stores as its own copies.
    if (old !== undefined) this.set(location, name, lowerName, value, old.verdict);
    return old?.verdict;
  }

  set(location: string, name: string, lowerName: string, value: string, verdict: T): void {
    if (this.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
      this.size = 0;
    }
    const head = this.current.get(value);
    for (let e = head; e !== undefined; e = e.next)
      if (e.location === location && e.name === name && e.lowerName === lowerName) {
        e.verdict = verdict;
        return;
      }
    const entry: Entry<T> = { location, name: this.own(name), lowerName: this.own(lowerName), verdict, next: head };
    let kept = 1;
    for (let e = head; e !== undefined; e = e.next) if (++kept === MAX_PLACES_PER_VALUE) e.next = undefined;
    // A value already held keeps its stored key (Map.set with an equal key replaces only the entry).
    this.current.set(head === undefined ? this.own(value) : value, entry);
    this.size += this.weigh(value, verdict);
  }
}
