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
});
