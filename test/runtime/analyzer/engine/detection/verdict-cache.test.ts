import { VerdictCache } from '@/runtime/analyzer/engine/detection/verdict-cache';

describe('VerdictCache', () => {
  it('tells verdicts apart by location, name, lower-cased name and value', () => {
    const cache = new VerdictCache<string>(100);
    cache.set('query', 'q', 'q', "' or 1=1", 'sqli');
    cache.set('cookie', 'q', 'q', "' or 1=1", 'cookie verdict');
    expect(cache.get('query', 'q', 'q', "' or 1=1")).toBe('sqli');
    expect(cache.get('cookie', 'q', 'q', "' or 1=1")).toBe('cookie verdict');
    expect(cache.get('query', 'Q', 'q', "' or 1=1")).toBeUndefined();
    expect(cache.get('query', 'q (base64)', 'q', "' or 1=1")).toBeUndefined();
    expect(cache.get('query', 'q', 'q', "' or 1=2")).toBeUndefined();
  });

  it('keeps values in use across a full generation and forgets the rest', () => {
    const cache = new VerdictCache<number>(4);
    cache.set('header', 'User-Agent', 'user-agent', 'Mozilla/5.0', 1);
    for (let i = 0; i < 3; i++) cache.set('query', 'id', 'id', String(i), i);
    // The generation is full: the next one starts, and a value looked up again moves into it.
    cache.set('query', 'id', 'id', '3', 3);
    expect(cache.get('header', 'User-Agent', 'user-agent', 'Mozilla/5.0')).toBe(1);
    for (let i = 4; i < 7; i++) cache.set('query', 'id', 'id', String(i), i);
    expect(cache.get('header', 'User-Agent', 'user-agent', 'Mozilla/5.0')).toBe(1);
    expect(cache.get('query', 'id', 'id', '0')).toBeUndefined();
  });

  it('with a weight per entry, fills a generation by weight', () => {
    const cache = new VerdictCache<string>(10, (value) => value.length);
    cache.set('cookie', 'a', 'a', 'xxxxxx', 'six');
    cache.set('cookie', 'b', 'b', 'yyyy', 'four');
    // 10 characters: the generation is full, the next entry starts a new one.
    cache.set('cookie', 'c', 'c', 'zz', 'two');
    cache.set('cookie', 'd', 'd', 'wwwwwwwwww', 'ten');
    cache.set('cookie', 'e', 'e', 'v', 'one');
    expect(cache.get('cookie', 'c', 'c', 'zz')).toBe('two');
    expect(cache.get('cookie', 'a', 'a', 'xxxxxx')).toBeUndefined();
    expect(cache.get('cookie', 'e', 'e', 'v')).toBe('one');
  });

  it('stores every new key as its own string, also when a remembered value moves back into the current generation', () => {
    const owned: string[] = [];
    const cache = new VerdictCache<number>(2, undefined, (key) => (owned.push(key), key));
    cache.set('cookie', 'session', 'session', 'abc', 1);
    expect(owned).toEqual(['session', 'session', 'abc']);
    cache.set('cookie', 'session', 'session', 'def', 2);
    cache.set('cookie', 'other', 'other', 'x', 3); // the first generation is full: this starts the next
    owned.length = 0;
    // Found in the previous generation: moved back under the caller's strings, copied again.
    expect(cache.get('cookie', 'session', 'session', 'abc')).toBe(1);
    expect(owned).toEqual(['session', 'session', 'abc']);
  });
});

describe('VerdictCache places per value', () => {
  it('keeps the latest places of a value sent under many names, so a look-up compares a bounded list', () => {
    const cache = new VerdictCache<number>(1_000);
    for (let i = 0; i < 20; i++) cache.set('query', `p${i}`, `p${i}`, 'true', i);
    expect(cache.get('query', 'p19', 'p19', 'true')).toBe(19);
    expect(cache.get('query', 'p12', 'p12', 'true')).toBe(12);
    expect(cache.get('query', 'p11', 'p11', 'true')).toBeUndefined();
    expect(cache.get('query', 'p0', 'p0', 'true')).toBeUndefined();
  });

  it('replaces the verdict of a place it holds rather than adding the place twice', () => {
    const cache = new VerdictCache<string>(1_000);
    cache.set('cookie', 'a', 'a', 'v', 'first');
    cache.set('cookie', 'a', 'a', 'v', 'second');
    for (let i = 0; i < 7; i++) cache.set('cookie', `n${i}`, `n${i}`, 'v', `n${i}`);
    expect(cache.get('cookie', 'a', 'a', 'v')).toBe('second');
  });
});
