import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordType, EventSpool, type EventSpoolOptions } from '@/runtime/analyzer/spool';

const entry = (text: string) => ({ type: RecordType.event, payload: Buffer.from(text) });

async function readAll(spool: EventSpool, from: number): Promise<string[]> {
  const texts: string[] = [];
  let position = from;
  for (let guard = 0; guard < 10_000; guard++) {
    const { records, next } = await spool.read(position, 256);
    if (next === position) break;
    texts.push(...records.map((record) => record.payload.toString()));
    position = next;
  }
  return texts;
}

describe('EventSpool', () => {
  let directory: string;
  const spools: EventSpool[] = [];
  const openSpool = async (overrides: Partial<EventSpoolOptions> = {}) => {
    const spool = await EventSpool.open({
      directory,
      maxBytes: 1 << 20,
      segmentBytes: 1 << 16,
      fsync: true,
      fullPolicy: 'drop_oldest',
      consumers: ['a', 'b'],
      ...overrides,
    });
    spools.push(spool);
    return spool;
  };
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'spool-'));
  });
  afterEach(async () => {
    await Promise.all(spools.splice(0).map((spool) => spool.close()));
    await rm(directory, { recursive: true, force: true });
  });

  it('group-commits concurrent appends and reads records back in order', async () => {
    const spool = await openSpool();
    await Promise.all(Array.from({ length: 50 }, (_, index) => spool.append([entry(`r${index}`), entry(`s${index}`)])));
    const texts = await readAll(spool, 0);
    expect(texts).toHaveLength(100);
    expect(texts.filter((text) => text.startsWith('r'))).toEqual(Array.from({ length: 50 }, (_, index) => `r${index}`));
  });

  it('keeps records and consumer offsets across a restart, and cuts a torn tail', async () => {
    const first = await openSpool();
    await first.append([entry('one'), entry('two')]);
    const { records } = await first.read(0);
    first.commit('a', records[0]!.next);
    await first.append([entry('three')]);
    await first.close();
    spools.splice(spools.indexOf(first), 1);
    // A crash in the middle of a write leaves half a frame at the end of the segment.
    const [segment] = (await readdir(directory)).filter((name) => name.endsWith('.seg'));
    const handle = await open(join(directory, segment!), 'a');
    await handle.write(Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 1, 0x7b]));
    await handle.close();

    const second = await openSpool();
    expect(second.truncatedBytes).toBe(10);
    expect(await readAll(second, second.offset('a'))).toEqual(['two', 'three']);
    expect(await readAll(second, second.offset('b'))).toEqual(['one', 'two', 'three']);
    await second.append([entry('four')]);
    expect(await readAll(second, second.offset('a'))).toEqual(['two', 'three', 'four']);
  });

  it('rolls segments and deletes them once every consumer has passed them', async () => {
    const spool = await openSpool({ segmentBytes: 1024, maxBytes: 1 << 20 });
    for (let index = 0; index < 20; index++) await spool.append([entry('x'.repeat(200))]);
    expect(spool.segmentCount).toBeGreaterThan(3);
    spool.commit('a', spool.endOffset);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(spool.segmentCount).toBeGreaterThan(3); // b still needs them
    spool.commit('b', spool.endOffset);
    // Deletion runs in the background after the commit; give a loaded machine time.
    for (let waited = 0; waited < 5000 && spool.segmentCount > 1; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(spool.segmentCount).toBe(1);
    expect(spool.lagBytes('a')).toBe(0);
  });

  it('drop_oldest: stays within its size and reports what a lagging consumer lost', async () => {
    const drops: [string, number][] = [];
    const spool = await openSpool({ segmentBytes: 1024, maxBytes: 4096, onDrop: (consumer, bytes) => drops.push([consumer, bytes]) });
    for (let index = 0; index < 40; index++) await spool.append([entry(`${index}:`.padEnd(200, 'y'))]);
    expect(spool.sizeBytes).toBeLessThanOrEqual(4096);
    expect(drops.map(([consumer]) => consumer)).toContain('a');
    const kept = await readAll(spool, spool.offset('a'));
    expect(kept[kept.length - 1]).toMatch(/^39:/);
    expect(kept.length).toBeLessThan(40);
  });

  it('drop_oldest: reports the events a lagging consumer lost, not counting exchange-id records', async () => {
    const drops: { consumer: string; bytes: number; events: number }[] = [];
    const spool = await openSpool({ segmentBytes: 1024, maxBytes: 2048, onDrop: (consumer, bytes, events) => drops.push({ consumer, bytes, events }) });
    // Each append: one event and one id record, 218 + 109 bytes: three fit in a segment.
    for (let index = 0; index < 3; index++)
      await spool.append([entry('e'.repeat(209)), { type: RecordType.ingestedIds, payload: Buffer.from('i'.repeat(100)) }]);
    const { records } = await spool.read(0);
    spool.commit('b', records[2]!.next); // b read the first event and its ids record, and the second event
    for (let index = 0; index < 6; index++)
      await spool.append([entry('e'.repeat(209)), { type: RecordType.ingestedIds, payload: Buffer.from('i'.repeat(100)) }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drops.slice(0, 2)).toEqual([
      { consumer: 'a', bytes: 3 * 327, events: 3 },
      { consumer: 'b', bytes: 3 * 327 - records[2]!.next, events: 1 },
    ]);
  });

  it('backpressure: says when it starts and stops holding writes', async () => {
    const states: boolean[] = [];
    const spool = await openSpool({ segmentBytes: 1024, maxBytes: 2048, fullPolicy: 'backpressure', onBackpressure: (holding) => states.push(holding) });
    for (let index = 0; index < 9; index++) await spool.append([entry('z'.repeat(200))]);
    expect(states).toEqual([]);
    const blocked = spool.append([entry('z'.repeat(200))]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(states).toEqual([true]);
    spool.commit('a', spool.endOffset);
    spool.commit('b', spool.endOffset);
    await blocked;
    expect(states).toEqual([true, false]);
  });

  it('keeps its directory 0700 and its files 0600 whatever the umask', async () => {
    const previous = process.umask(0);
    try {
      const nested = join(directory, 'created', 'spool');
      const spool = await EventSpool.open({
        directory: nested,
        maxBytes: 1 << 20,
        segmentBytes: 1 << 16,
        fsync: false,
        fullPolicy: 'drop_oldest',
        consumers: ['a'],
      });
      await spool.append([entry('secret request')]);
      spool.commit('a', spool.endOffset);
      await spool.close();
      const mode = async (path: string) => (await stat(path)).mode & 0o777;
      expect(await mode(join(directory, 'created'))).toBe(0o700);
      expect(await mode(nested)).toBe(0o700);
      const files = await readdir(nested);
      expect(files).toEqual(expect.arrayContaining(['offsets.json', expect.stringMatching(/\.seg$/)]));
      for (const file of files) expect({ file, mode: await mode(join(nested, file)) }).toEqual({ file, mode: 0o600 });
    } finally {
      process.umask(previous);
    }
  });

  it('backpressure: appends wait until consumers make room', async () => {
    const spool = await openSpool({ segmentBytes: 1024, maxBytes: 2048, fullPolicy: 'backpressure' });
    for (let index = 0; index < 9; index++) await spool.append([entry('z'.repeat(200))]);
    let done = false;
    const blocked = spool.append([entry('z'.repeat(200))]).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    spool.commit('a', spool.endOffset);
    spool.commit('b', spool.endOffset);
    await blocked;
    expect(done).toBe(true);
  });

  it('rejects a record larger than the limit and a segment size that does not fit twice', async () => {
    const spool = await openSpool({ maxRecordBytes: 10 });
    await expect(spool.append([entry('x'.repeat(11))])).rejects.toThrow('exceeds the 10-byte limit');
    await expect(EventSpool.open({ directory, maxBytes: 100, segmentBytes: 80, fsync: false, fullPolicy: 'drop_oldest', consumers: [] })).rejects.toThrow(
      'at most half the spool size',
    );
  });

  it('waitForData resolves on the next append', async () => {
    const spool = await openSpool();
    const waiting = spool.waitForData(spool.endOffset);
    await spool.append([entry('hello')]);
    await waiting;
    expect(await readAll(spool, 0)).toEqual(['hello']);
  });
});

describe('EventSpool.sync', () => {
  it('resolves after every append queued before it is durable, false when the last group failed', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'spool-sync-'));
    const spool = await EventSpool.open({ directory, maxBytes: 1 << 20, segmentBytes: 1 << 16, fsync: true, fullPolicy: 'drop_oldest', consumers: ['a'] });
    try {
      expect(await spool.sync()).toBe(true);
      const pending = spool.append([entry('one')]);
      const endBefore = spool.endOffset;
      expect(await spool.sync()).toBe(true);
      expect(spool.endOffset).toBeGreaterThan(endBefore);
      await pending;
      await spool.close();
      await spool.append([entry('two')]).catch(() => undefined);
      expect(await spool.sync()).toBe(false);
    } finally {
      await spool.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
