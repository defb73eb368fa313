import { readdir, readFile, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDirectory, openPrivate } from '../spool';

export interface ExchangeIdIndexOptions {
  readonly directory: string;
  /** Ids are kept at least this long after they were accepted. */
  readonly windowMs: number;
  /** fdatasync every write before it resolves (the spool's SPOOL_FSYNC). */
  readonly fsync: boolean;
  /** At most this many ids are returned at open (the newest). */
  readonly maxLoadedIds: number;
  /** Clock (tests). @default Date.now */
  readonly now?: () => number;
}

export interface OpenedExchangeIdIndex {
  readonly index: ExchangeIdIndex;
  /** Ids accepted within the window, oldest first. */
  readonly ids: string[];
}

interface PendingWrite {
  readonly ids: readonly string[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const SUFFIX = '.ids';
/** The window is covered by this many files, so expiry frees space a twelfth of the window at a time. */
const FILES_PER_WINDOW = 12;
const FILE_NAME = /^(\d{1,16})-(\d{1,16})\.ids$/;

function fileName(start: number, end: number): string {
  return `${String(start).padStart(16, '0')}-${String(end).padStart(16, '0')}${SUFFIX}`;
}

/**
 * The exchange ids the analyzer accepted, on disk for a time window: append-only files of
 * newline-separated ids, one file per slice of the window, deleted whole once the slice is older
 * than the window. It is kept apart from the spool, whose segments go as soon as every sink has
 * delivered them, so a sensor that resends acknowledged batches after an analyzer restart (its
 * acks were lost) still finds its ids remembered.
 */
export class ExchangeIdIndex {
  private current: { readonly start: number; readonly end: number; readonly handle: FileHandle } | undefined;
  private pending: PendingWrite[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;
  private readonly now: () => number;
  private readonly sliceMs: number;

  private constructor(private readonly options: ExchangeIdIndexOptions) {
    this.now = options.now ?? Date.now;
    this.sliceMs = Math.max(1000, Math.ceil(options.windowMs / FILES_PER_WINDOW));
  }

  /** Opens the index in `directory` (created, owner-only), drops expired files and reads the rest. */
  static async open(options: ExchangeIdIndexOptions): Promise<OpenedExchangeIdIndex> {
    const index = new ExchangeIdIndex(options);
    await ensurePrivateDirectory(options.directory);
    return { index, ids: await index.load() };
  }

  /** Writes `ids` durably (with fsync when configured); concurrent calls share one write. */
  append(ids: readonly string[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the exchange id index is closed'));
    if (ids.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ ids, resolve, reject });
      this.writing ??= this.flush();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writing;
    this.closed = true;
    await this.current?.handle.close();
    this.current = undefined;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0);
        try {
          const handle = await this.fileFor(this.now());
          const data = Buffer.from(`${group.flatMap((write) => write.ids).join('\n')}\n`);
          await handle.write(data, 0, data.length);
          if (this.options.fsync) await handle.datasync();
          for (const write of group) write.resolve();
        } catch (error) {
          for (const write of group) write.reject(error as Error);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** The file for ids accepted at `time`; starting a new one also deletes the expired ones. */
  private async fileFor(time: number): Promise<FileHandle> {
    if (this.current && time >= this.current.start && time < this.current.end) return this.current.handle;
    await this.current?.handle.close();
    this.current = undefined;
    const start = Math.floor(time / this.sliceMs) * this.sliceMs;
    const end = start + this.sliceMs;
    const handle = await openPrivate(join(this.options.directory, fileName(start, end)), 'a');
    this.current = { start, end, handle };
    await this.deleteExpired(time);
    return handle;
  }

  private async files(): Promise<{ readonly name: string; readonly start: number; readonly end: number }[]> {
    const names = await readdir(this.options.directory);
    return names.flatMap((name) => {
      const match = FILE_NAME.exec(name);
      return match ? [{ name, start: Number(match[1]), end: Number(match[2]) }] : [];
    });
  }

  private async deleteExpired(time: number): Promise<{ readonly name: string; readonly start: number; readonly end: number }[]> {
    const kept = [];
    for (const file of await this.files()) {
      if (file.end <= time - this.options.windowMs && file.start !== this.current?.start)
        await unlink(join(this.options.directory, file.name)).catch(() => undefined);
      else kept.push(file);
    }
    return kept;
  }

  /** Reads the unexpired files newest first until `maxLoadedIds`; returns the ids oldest first. */
  private async load(): Promise<string[]> {
    const files = (await this.deleteExpired(this.now())).sort((a, b) => b.start - a.start);
    const newestFirst: string[][] = [];
    let count = 0;
    for (const file of files) {
      if (count >= this.options.maxLoadedIds) break;
      const path = join(this.options.directory, file.name);
      const content = await readFile(path);
      const complete = content.lastIndexOf(0x0a) + 1;
      // A write cut by a crash was never acknowledged: drop it, so the next append starts a line.
      if (complete < content.length) await truncate(path, complete);
      const ids = content.subarray(0, complete).toString('utf8').split('\n').filter(Boolean);
      newestFirst.push(ids);
      count += ids.length;
    }
    const ids = newestFirst.reverse().flat();
    return ids.length > this.options.maxLoadedIds ? ids.slice(ids.length - this.options.maxLoadedIds) : ids;
  }
}
