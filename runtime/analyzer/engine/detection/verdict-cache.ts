/**
 * Remembered verdicts by location, name, lower-cased name and value, in two generations: when the
 * current one is full it becomes the previous one (the older is dropped), and a value found only
 * in the previous generation moves back to the current. Values that come with every request (the
 * same User-Agent, Accept, cookies, paths) stay remembered however many one-off values pass by,
 * where a cache that starts over when full forgets them all at once. Nested maps: a lookup builds
 * no key string. A generation is full at `capacity` entries, or, with a weight per entry (the
 * characters it holds), at `capacity` of that weight.
 */
type Generation<T> = Map<string, Map<string, Map<string, Map<string, T>>>>;

function find<T>(generation: Generation<T>, location: string, name: string, lowerName: string, value: string): T | undefined {
  return generation.get(location)?.get(name)?.get(lowerName)?.get(value);
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
    const found = find(this.current, location, name, lowerName, value);
    if (found !== undefined) return found;
    const old = find(this.previous, location, name, lowerName, value);
    // Moved back under the caller's strings, which `set` stores as its own copies.
    if (old !== undefined) this.set(location, name, lowerName, value, old);
    return old;
  }

  set(location: string, name: string, lowerName: string, value: string, verdict: T): void {
    if (this.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
      this.size = 0;
    }
    let byName = this.current.get(location);
    if (!byName) this.current.set(location, (byName = new Map()));
    let byLowerName = byName.get(name);
    if (!byLowerName) byName.set(this.own(name), (byLowerName = new Map()));
    let byValue = byLowerName.get(lowerName);
    if (!byValue) byLowerName.set(this.own(lowerName), (byValue = new Map()));
    byValue.set(this.own(value), verdict);
    this.size += this.weigh(value, verdict);
  }
}
