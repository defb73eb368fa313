/**
 * Remembered verdicts by location, name, lower-cased name and value, in two generations: when the
 * current one is full it becomes the previous one (the older is dropped), and a value found only
 * in the previous generation moves back to the current. Values that come with every request (the
 * same User-Agent, Accept, cookies, paths) stay remembered however many one-off values pass by,
 * where a cache that starts over when full forgets them all at once. Nested maps: a lookup builds
 * no key string.
 */
type Generation<T> = Map<string, Map<string, Map<string, Map<string, T>>>>;

function find<T>(generation: Generation<T>, location: string, name: string, lowerName: string, value: string): T | undefined {
  return generation.get(location)?.get(name)?.get(lowerName)?.get(value);
}

export class VerdictCache<T> {
  private current: Generation<T> = new Map();
  private previous: Generation<T> = new Map();
  private size = 0;

  /** @param capacity entries per generation (at most twice as many are held) */
  constructor(private readonly capacity: number) {}

  get(location: string, name: string, lowerName: string, value: string): T | undefined {
    const found = find(this.current, location, name, lowerName, value);
    if (found !== undefined) return found;
    const old = find(this.previous, location, name, lowerName, value);
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
    if (!byLowerName) byName.set(name, (byLowerName = new Map()));
    let byValue = byLowerName.get(lowerName);
    if (!byValue) byLowerName.set(lowerName, (byValue = new Map()));
    byValue.set(value, verdict);
    this.size++;
  }
}
