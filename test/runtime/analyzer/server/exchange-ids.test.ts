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
