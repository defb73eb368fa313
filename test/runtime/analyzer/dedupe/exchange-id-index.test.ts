import { appendFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExchangeIdIndex } from '@/runtime/analyzer/dedupe';

describe('ExchangeIdIndex (the on-disk dedupe index)', () => {
  let directory: string;
  beforeEach(async () => {
    directory = join(await mkdtemp(join(tmpdir(), 'id-index-')), 'exchange-ids');
  });
  afterEach(async () => {
    await rm(join(directory, '..'), { recursive: true, force: true });
  });

  it('gives back, after a reopen, the ids written within the window, oldest first; older files are deleted', async () => {
    let now = 1_700_000_000_000;
    const options = { directory, windowMs: 60_000, fsync: true, maxLoadedIds: 1000, now: () => now };
    const first = await ExchangeIdIndex.open(options);
    expect(first.ids).toEqual([]);
    await first.index.append(['s:b:1', 's:b:2']);
    now += 30_000;
    await Promise.all([first.index.append(['s:b:3']), first.index.append(['s:b:4'])]);
    await first.index.close();
    expect(await readdir(directory)).toHaveLength(2);

    now += 20_000; // 50 s after the first ids: all within the 60-s window
    expect((await ExchangeIdIndex.open(options)).ids).toEqual(['s:b:1', 's:b:2', 's:b:3', 's:b:4']);

    now += 20_000; // 70 s: the first file's slice is now older than the window
    const reopened = await ExchangeIdIndex.open(options);
    expect(reopened.ids).toEqual(['s:b:3', 's:b:4']);
    expect(await readdir(directory)).toHaveLength(1);
    await reopened.index.close();
  });

  it('keeps the newest ids when there are more than it may load', async () => {
    const options = { directory, windowMs: 3_600_000, fsync: false, maxLoadedIds: 3 };
    const { index } = await ExchangeIdIndex.open(options);
    await index.append(['a', 'b', 'c', 'd', 'e']);
    await index.close();
    expect((await ExchangeIdIndex.open(options)).ids).toEqual(['c', 'd', 'e']);
  });

  it('drops a write torn by a crash, so the next id starts its own line', async () => {
    const options = { directory, windowMs: 3_600_000, fsync: true, maxLoadedIds: 1000 };
    const { index } = await ExchangeIdIndex.open(options);
    await index.append(['s:b:1']);
    await index.close();
    const [file] = await readdir(directory);
    await appendFile(join(directory, file!), 's:b:2'); // no newline: the crash cut it
    const reopened = await ExchangeIdIndex.open(options);
    expect(reopened.ids).toEqual(['s:b:1']);
    await reopened.index.append(['s:b:3']);
    await reopened.index.close();
    expect(await readFile(join(directory, file!), 'utf8')).toBe('s:b:1\ns:b:3\n');
  });

  it('creates its directory 0700 and its files 0600 whatever the umask', async () => {
    const previous = process.umask(0);
    try {
      const { index } = await ExchangeIdIndex.open({ directory, windowMs: 3_600_000, fsync: false, maxLoadedIds: 10 });
      await index.append(['s:b:1']);
      await index.close();
      expect((await stat(directory)).mode & 0o777).toBe(0o700);
      const [file] = await readdir(directory);
      expect((await stat(join(directory, file!))).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});
