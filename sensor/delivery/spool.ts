/**
 * The bounded store of batches not yet acknowledged by the analyzer, oldest first. Batches stay
 * here while they are sent and until the analyzer acknowledges them, so a dropped stream loses
 * nothing: everything still here is resent on the next stream. Batches are held encoded (see
 * codec.ts), so the bounds are real byte counts. Memory is bounded; an optional directory takes
 * what does not fit (and survives a sensor restart). When both are full, the oldest batches not
 * currently in flight are dropped and counted.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitEncoded } from './codec';

export interface ExchangeSpoolOptions {
  readonly maxMemoryBytes: number;
  /** Directory for batches beyond the memory bound; undefined: memory only. */
  readonly directory?: string;
  readonly maxDiskBytes: number;
  /** Counts the exchanges of an encoded batch found on disk at start. */
  readonly countExchanges: (encoded: Buffer) => number;
}

export interface SpooledBatch {
  readonly id: number;
  /** The encoded exchanges, while held in memory. */
  data?: Buffer;
  /** The file holding them, while on disk. */
  file?: string;
  readonly count: number;
  readonly bytes: number;
  /** Set while sent on the current stream and not yet acknowledged. */
  inFlight: boolean;
}

export interface ExchangeSpoolCounters {
  depthBatches: number;
  depthExchanges: number;
  memoryBytes: number;
  diskBytes: number;
  droppedBatches: number;
  droppedExchanges: number;
}

const FILE_SUFFIX = '.batch';

/** What `persist()` did with the batches held in memory. */
export interface PersistResult {
  readonly persistedExchanges: number;
  /** Exchanges that could not be kept: no directory, the disk bound, or a write error. */
  readonly lostExchanges: number;
  /** The first write error, if any. */
  readonly error?: string;
}

export class ExchangeSpool {
  private readonly entries: SpooledBatch[] = [];
  private nextId = 1;
  /** File names start with this run's start time, then the batch id: recovery replays them in order. */
  private readonly runStamp = String(Date.now()).padStart(15, '0');
  readonly counters: ExchangeSpoolCounters = { depthBatches: 0, depthExchanges: 0, memoryBytes: 0, diskBytes: 0, droppedBatches: 0, droppedExchanges: 0 };

  constructor(private readonly options: ExchangeSpoolOptions) {
    if (options.directory) this.recover(options.directory);
  }

  /** Adds an encoded batch of `count` exchanges; returns the number of exchanges dropped to make room. */
  add(data: Buffer, count: number): number {
    const bytes = data.length;
    const entry: SpooledBatch = { id: this.nextId++, data, count, bytes, inFlight: false };
    let dropped = 0;
    if (
      this.counters.memoryBytes + bytes > this.options.maxMemoryBytes &&
      this.options.directory &&
      this.counters.diskBytes + bytes <= this.options.maxDiskBytes
    ) {
      this.toDisk(entry);
    } else {
      while (this.counters.memoryBytes + bytes > this.options.maxMemoryBytes) {
        const victim = this.dropOldest();
        if (victim === 0) break;
        dropped += victim;
      }
      if (this.counters.memoryBytes + bytes > this.options.maxMemoryBytes) {
        // Larger than the whole bound (or everything is in flight): this batch is the one lost.
        this.counters.droppedBatches++;
        this.counters.droppedExchanges += count;
        return dropped + count;
      }
      this.counters.memoryBytes += bytes;
    }
    this.entries.push(entry);
    this.counters.depthBatches++;
    this.counters.depthExchanges += count;
    return dropped;
  }

  /** The oldest batch not in flight, loaded into memory. */
  nextUnsent(): SpooledBatch | undefined {
    const entry = this.entries.find((e) => !e.inFlight);
    if (entry?.file) this.load(entry);
    return entry;
  }

  /** Removes an acknowledged batch. */
  remove(entry: SpooledBatch): void {
    const i = this.entries.indexOf(entry);
    if (i < 0) return;
    this.entries.splice(i, 1);
    this.release(entry);
  }

  /** A stream ended: every in-flight batch becomes unsent again (resent on the next stream). */
  resetInFlight(): void {
    for (const e of this.entries) e.inFlight = false;
  }

  /** Replaces an in-memory entry by smaller ones (the analyzer accepts at most `max` exchanges per batch). */
  split(entry: SpooledBatch, max: number): void {
    const i = this.entries.indexOf(entry);
    if (i < 0 || !entry.data || entry.count <= max) return;
    const parts: SpooledBatch[] = splitEncoded(entry.data, max).map((p) => ({
      id: this.nextId++,
      data: p.data,
      count: p.count,
      bytes: p.data.length,
      inFlight: false,
    }));
    this.entries.splice(i, 1, ...parts);
    this.counters.depthBatches += parts.length - 1;
  }

  /**
   * Moves every batch still held in memory to the directory, so that the next run delivers it
   * (at exit, when the analyzer did not acknowledge everything). Batches that cannot be written
   * are dropped and counted.
   */
  persist(): PersistResult {
    let persistedExchanges = 0;
    let lostExchanges = 0;
    let error: string | undefined;
    for (const entry of [...this.entries]) {
      if (!entry.data) continue;
      entry.inFlight = false;
      if (this.options.directory && this.counters.diskBytes + entry.bytes <= this.options.maxDiskBytes) {
        try {
          this.toDisk(entry);
          this.counters.memoryBytes -= entry.bytes;
          persistedExchanges += entry.count;
          continue;
        } catch (e) {
          error ??= (e as Error).message;
        }
      }
      this.entries.splice(this.entries.indexOf(entry), 1);
      this.release(entry);
      this.counters.droppedBatches++;
      this.counters.droppedExchanges += entry.count;
      lostExchanges += entry.count;
    }
    return { persistedExchanges, lostExchanges, error };
  }

  get size(): number {
    return this.entries.length;
  }

  /** Drops the oldest in-memory batch not in flight; returns its exchange count (0: none). */
  private dropOldest(): number {
    const victim = this.entries.find((e) => !e.inFlight && e.data);
    if (!victim) return 0;
    this.entries.splice(this.entries.indexOf(victim), 1);
    this.release(victim);
    this.counters.droppedBatches++;
    this.counters.droppedExchanges += victim.count;
    return victim.count;
  }

  private release(entry: SpooledBatch): void {
    this.counters.depthBatches--;
    this.counters.depthExchanges -= entry.count;
    if (entry.file) {
      this.counters.diskBytes -= entry.bytes;
      unlinkQuietly(entry.file);
    } else {
      this.counters.memoryBytes -= entry.bytes;
    }
  }

  private toDisk(entry: SpooledBatch): void {
    const dir = this.options.directory!;
    const file = join(dir, `${this.runStamp}-${String(entry.id).padStart(10, '0')}${FILE_SUFFIX}`);
    writeFileSync(file, entry.data!, { mode: 0o600 });
    entry.file = file;
    entry.data = undefined;
    this.counters.diskBytes += entry.bytes;
  }

  /** Brings a disk entry back into memory (it then counts against the memory bound). */
  private load(entry: SpooledBatch): void {
    const file = entry.file!;
    entry.data = readFileSync(file);
    entry.file = undefined;
    unlinkQuietly(file);
    this.counters.diskBytes -= entry.bytes;
    this.counters.memoryBytes += entry.bytes;
  }

  /** Batches left on disk by a previous run go first. */
  private recover(dir: string): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith(FILE_SUFFIX))
      .sort()) {
      const file = join(dir, name);
      const bytes = statSync(file).size;
      let count: number;
      try {
        count = this.options.countExchanges(readFileSync(file));
      } catch {
        unlinkQuietly(file);
        continue;
      }
      this.entries.push({ id: this.nextId++, file, count, bytes, inFlight: false });
      this.counters.depthBatches++;
      this.counters.depthExchanges += count;
      this.counters.diskBytes += bytes;
    }
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone: nothing to clean up.
  }
}
