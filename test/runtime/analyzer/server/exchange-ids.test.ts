import fc from 'fast-check';
import { ExchangeIdSet } from '@/runtime/analyzer/server/exchange-ids';

describe('the set of accepted exchange ids', () => {
  it('remembers, forgets on delete, and keeps ids of every shape apart', () => {
    const ids = new ExchangeIdSet(100);
    const all = ['web-1:abc:7', 'web-1:abc:007', 'web-1:abd:7', 'web-2:abc:7', 'no-counter', 'web-1:abc:7x', 'web-1:abc:', ':5', 'a:b:1234567890123456'];
    for (const id of all) expect([id, ids.has(id)]).toEqual([id, false]);
    for (const id of all) ids.add(id);
    for (const id of all) expect([id, ids.has(id)]).toEqual([id, true]);
    expect(ids.size).toBe(all.length);
    ids.add('web-1:abc:7');
    expect(ids.size).toBe(all.length);
    ids.delete('web-1:abc:007');
    ids.delete('no-counter');
    ids.delete('never-added:1');
    expect(ids.has('web-1:abc:007')).toBe(false);
    expect(ids.has('web-1:abc:7')).toBe(true);
    expect(ids.has('no-counter')).toBe(false);
    expect(ids.size).toBe(all.length - 2);
  });

  it('forgets the oldest ids first past its capacity, skipping deleted ones', () => {
    const ids = new ExchangeIdSet(3);
    for (const id of ['s:b:1', 's:b:2', 'other', 's:b:3']) ids.add(id);
    expect(['s:b:1', 's:b:2', 'other', 's:b:3'].map((id) => ids.has(id))).toEqual([false, true, true, true]);
    ids.delete('s:b:2');
    ids.add('s:b:4');
    ids.add('s:b:5');
    // s:b:2 was deleted, so adding two ids forgets only "other" (the oldest member).
    expect(['other', 's:b:3', 's:b:4', 's:b:5'].map((id) => ids.has(id))).toEqual([false, true, true, true]);
    expect(ids.size).toBe(3);
  });

  it('keeps a long stream of ids within its capacity and forgets old sensor boots', () => {
    const ids = new ExchangeIdSet(1000);
    for (let boot = 0; boot < 20; boot++) for (let n = 0; n < 500; n++) ids.add(`sensor:boot${boot}:${n}`);
    expect(ids.size).toBe(1000);
    expect(ids.has('sensor:boot17:499')).toBe(false);
    expect(ids.has('sensor:boot18:0')).toBe(true);
    expect(ids.has('sensor:boot19:499')).toBe(true);
    expect(ids.has('sensor:boot0:0')).toBe(false);
  });
});

/** What the set promises, held the plain way: every id as a string, the order one entry per add. */
class ReferenceIdSet {
  private readonly members = new Set<string>();
  private readonly order: string[] = [];

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.members.has(id);
  }

  add(id: string): boolean {
    if (this.members.has(id)) return false;
    this.members.add(id);
    this.order.push(id);
    while (this.members.size > this.capacity) {
      const oldest = this.order.shift()!;
      this.members.delete(oldest);
    }
    return true;
  }

  delete(id: string): void {
    this.members.delete(id);
  }

  get size(): number {
    return this.members.size;
  }
}

describe('the set of accepted exchange ids, against a plain set of strings', () => {
  const series = ['web-1:b1:', 'web-1:b2:', 'web-2:b1:'];
  const idOf = (prefix: number, counter: number, padded: boolean) => `${series[prefix]}${padded ? String(counter).padStart(3, '0') : counter}`;
  const operation = fc.oneof(
    // Runs of consecutive counters (what sensors send), resends of old ones, and stray ids.
    fc.record({ kind: fc.constant('run' as const), prefix: fc.nat(2), from: fc.nat(60), length: fc.integer({ min: 1, max: 25 }), padded: fc.boolean() }),
    fc.record({ kind: fc.constantFrom('add' as const, 'delete' as const), prefix: fc.nat(2), from: fc.nat(90), length: fc.constant(1), padded: fc.boolean() }),
    fc.record({
      kind: fc.constantFrom('addOther' as const, 'deleteOther' as const),
      prefix: fc.nat(2),
      from: fc.nat(4),
      length: fc.constant(1),
      padded: fc.constant(false),
    }),
    fc.record({ kind: fc.constant('deleteRun' as const), prefix: fc.nat(2), from: fc.nat(60), length: fc.integer({ min: 1, max: 25 }), padded: fc.boolean() }),
  );

  it('answers every add, has and size as the plain set does, in any order of adds, deletes and resends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(operation, { maxLength: 60 }), (capacity, operations) => {
        const compact = new ExchangeIdSet(capacity);
        const reference = new ReferenceIdSet(capacity);
        // Differences are collected and compared once: an expect per answer makes the run ~50× slower.
        const differences: string[] = [];
        for (const { kind, prefix, from, length, padded } of operations) {
          const ids =
            kind === 'addOther' || kind === 'deleteOther' ? [`other-${from}`] : Array.from({ length }, (_, index) => idOf(prefix, from + index, padded));
          for (const id of ids) {
            if (kind === 'delete' || kind === 'deleteRun' || kind === 'deleteOther') {
              compact.delete(id);
              reference.delete(id);
            } else if (compact.add(id) !== reference.add(id)) differences.push(`add ${id}`);
          }
          if (compact.size !== reference.size) differences.push(`size ${compact.size} after ${kind} ${from}`);
        }
        const probes = [...Array.from({ length: 5 }, (_, other) => `other-${other}`)];
        for (let prefix = 0; prefix < series.length; prefix++)
          for (let counter = 0; counter < 120; counter++) probes.push(idOf(prefix, counter, false), idOf(prefix, counter, true));
        for (const id of probes) if (compact.has(id) !== reference.has(id)) differences.push(`has ${id}`);
        expect(differences).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
