import { open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFrame, encodeFrame, RecordType } from './frame';
import { ensurePrivateDirectory, openPrivate, writePrivateFileAtomically } from './private-files';

export type SpoolFullPolicy = 'drop_oldest' | 'backpressure';

export interface EventSpoolOptions {
  readonly directory: string;
  /** Bytes kept on disk at most (all segments). */
  readonly maxBytes: number;
  /** A segment is closed and a new one started past this size; whole segments are deleted. */
  readonly segmentBytes: number;
  /** fdatasync after every group write (before appends resolve). */
  readonly fsync: boolean;
  /**
   * When the spool is full: `drop_oldest` deletes the oldest segment even if a lagging consumer
   * has not read it (ingest keeps flowing; the loss is counted and reported), `backpressure`
   * makes appends wait for consumers (ingest stops acknowledging; sensors keep their data).
   */
  readonly fullPolicy: SpoolFullPolicy;
  /** Names of the consumers whose offsets are tracked (one per sink). */
  readonly consumers: readonly string[];
  /** Largest single record accepted. @default 16 MiB */
  readonly maxRecordBytes?: number;
  /** Called when drop_oldest removed data a consumer had not read: its bytes, and how many events they held. */
  readonly onDrop?: (consumer: string, bytes: number, events: number) => void;
  /**
   * Called with true when `backpressure` makes a write wait for consumers (acknowledgements stop),
   * and with false when the write proceeds.
   */
  readonly onBackpressure?: (holding: boolean) => void;
}

export interface EventSpoolEntry {
  readonly type: RecordType;
  readonly payload: Buffer;
}

export interface EventSpoolRecord extends EventSpoolEntry {
  readonly offset: number;
  /** Offset of the record after this one. */
  readonly next: number;
}

interface Segment {
  readonly base: number;
  size: number;
  readonly path: string;
}

interface PendingAppend {
  readonly frames: Buffer[];
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const OFFSETS_FILE = 'offsets.json';
const SEGMENT_SUFFIX = '.seg';
const OFFSETS_PERSIST_DELAY_MS = 200;

function segmentName(base: number): string {
  return `${String(base).padStart(20, '0')}${SEGMENT_SUFFIX}`;
}

/**
 * A local durable append log in segment files, with one read offset per consumer (sink).
 * Offsets are global byte positions, so a consumer's position survives segment deletion.
 *
 * Durability: appends are group-committed; concurrent appends share one write and (with `fsync`)
 * one fdatasync, and resolve only after it — callers acknowledge data to senders after that.
 * Consumer offsets are persisted lazily (every 200 ms and at close): after a crash a consumer may
 * re-read records it already delivered (at-least-once), never skip one.
 */
export class EventSpool {
  private segments: Segment[] = [];
  private active!: { segment: Segment; handle: FileHandle };
  private readonly offsets = new Map<string, number>();
  private pending: PendingAppend[] = [];
  private flushing = false;
  private closed = false;
  private dataWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];
  private offsetsTimer: NodeJS.Timeout | undefined;
  private offsetsWrite: Promise<void> = Promise.resolve();
  private lastAppend: Promise<boolean> = Promise.resolve(true);
  /** Bytes of a torn tail cut off at open, and corrupt bytes skipped while reading. */
  truncatedBytes = 0;
  corruptBytesSkipped = 0;

  private constructor(private readonly options: EventSpoolOptions) {}

  static async open(options: EventSpoolOptions): Promise<EventSpool> {
    if (options.segmentBytes * 2 > options.maxBytes)
      throw new Error(`spool segment size (${options.segmentBytes} bytes) must be at most half the spool size (${options.maxBytes} bytes)`);
    const spool = new EventSpool(options);
    await spool.recover();
    return spool;
  }

  /** Offset of the oldest record still on disk. */
  get startOffset(): number {
    return this.segments[0]?.base ?? 0;
  }

  /** Offset just past the last durable record. */
  get endOffset(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.base + last.size : 0;
  }

  /** Bytes on disk. */
  get sizeBytes(): number {
    return this.endOffset - this.startOffset;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  offset(consumer: string): number {
    const offset = this.offsets.get(consumer);
    if (offset === undefined) throw new Error(`unknown spool consumer ${consumer}`);
    return Math.max(offset, this.startOffset);
  }

  /** Bytes written but not yet consumed by `consumer`. */
  lagBytes(consumer: string): number {
    return this.endOffset - this.offset(consumer);
  }

  /** Appends entries durably; resolves once they are written (and fsynced when configured). */
  append(entries: readonly EventSpoolEntry[]): Promise<void> {
    if (this.closed) {
      this.lastAppend = Promise.resolve(false);
      return Promise.reject(new Error('spool is closed'));
    }
    const maxRecordBytes = this.options.maxRecordBytes ?? 16 * 1024 * 1024;
    for (const entry of entries) {
      if (entry.payload.length > maxRecordBytes)
        return Promise.reject(new Error(`spool record of ${entry.payload.length} bytes exceeds the ${maxRecordBytes}-byte limit`));
    }
    const frames = entries.map((entry) => encodeFrame(entry.type, entry.payload));
    const bytes = frames.reduce((sum, frame) => sum + frame.length, 0);
    const appended = new Promise<void>((resolve, reject) => {
      this.pending.push({ frames, bytes, resolve, reject });
      if (!this.flushing) void this.flush();
    });
    this.lastAppend = appended.then(
      () => true,
      () => false,
    );
    return appended;
  }

  /**
   * Resolves once every append queued so far has been written (true) or one of the last group
   * failed (false). Group writes complete in order, so waiting for the last one is enough.
   */
  sync(): Promise<boolean> {
    return this.lastAppend;
  }

  /** Reads whole records from `from` (clamped to the oldest retained record), up to about `maxBytes`. */
  async read(from: number, maxBytes = 1024 * 1024): Promise<{ records: EventSpoolRecord[]; next: number }> {
    if (this.closed) throw new Error('spool is closed');
    let position = Math.max(from, this.startOffset);
    const segment = this.segments.find((candidate) => position >= candidate.base && position < candidate.base + candidate.size);
    if (!segment) return { records: [], next: position };
    const available = segment.base + segment.size - position;
    let handle: FileHandle;
    try {
      handle = segment === this.active.segment ? this.active.handle : await open(segment.path, 'r');
    } catch {
      // Deleted by retention between lookup and open: the caller reads again from the new start.
      return { records: [], next: Math.max(position, this.startOffset) };
    }
    try {
      let length = Math.min(available, maxBytes);
      let buffer = Buffer.allocUnsafe(length);
      await handle.read(buffer, 0, length, position - segment.base);
      const maxPayload = this.options.maxRecordBytes ?? 16 * 1024 * 1024;
      const first = decodeFrame(buffer, 0, maxPayload);
      if (first.kind === 'incomplete' && length < available && buffer.length >= 4) {
        // The first record is larger than maxBytes: read exactly that record.
        length = Math.min(available, buffer.readUInt32LE(0) + 9);
        buffer = Buffer.allocUnsafe(length);
        await handle.read(buffer, 0, length, position - segment.base);
      }
      const records: EventSpoolRecord[] = [];
      let cursor = 0;
      for (;;) {
        const decoded = decodeFrame(buffer, cursor, maxPayload);
        if (decoded.kind === 'incomplete') break;
        if (decoded.kind === 'corrupt') {
          // Only possible in an old segment damaged on disk: skip the rest of that segment.
          const skipped = segment.base + segment.size - (position + cursor);
          this.corruptBytesSkipped += skipped;
          return { records, next: segment.base + segment.size };
        }
        records.push({
          type: decoded.frame.type as RecordType,
          payload: decoded.frame.payload,
          offset: position + cursor,
          next: position + cursor + decoded.frame.size,
        });
        cursor += decoded.frame.size;
      }
      position += cursor;
      return { records, next: position };
    } finally {
      if (segment !== this.active.segment) await handle.close();
    }
  }

  /** Resolves when data past `from` exists (or the spool closes, or `signal` aborts). */
  waitForData(from: number, signal?: AbortSignal): Promise<void> {
    if (this.endOffset > from || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.dataWaiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Records that `consumer` has handled everything before `offset`. */
  commit(consumer: string, offset: number): void {
    if (!this.offsets.has(consumer)) throw new Error(`unknown spool consumer ${consumer}`);
    if (offset <= (this.offsets.get(consumer) ?? 0)) return;
    this.offsets.set(consumer, Math.min(offset, this.endOffset));
    this.scheduleOffsetsWrite();
    void this.deleteConsumedSegments();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing || this.pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    this.closed = true;
    for (const waiter of this.dataWaiters.splice(0)) waiter();
    for (const waiter of this.spaceWaiters.splice(0)) waiter();
    if (this.offsetsTimer) clearTimeout(this.offsetsTimer);
    await this.offsetsWrite;
    await this.writeOffsets();
    await this.active.handle.close();
  }

  private async recover(): Promise<void> {
    const { directory } = this.options;
    await ensurePrivateDirectory(directory);
    const names = (await readdir(directory)).filter((name) => name.endsWith(SEGMENT_SUFFIX)).sort();
    for (const name of names) {
      const base = Number(name.slice(0, -SEGMENT_SUFFIX.length));
      if (!Number.isSafeInteger(base)) continue;
      const path = join(directory, name);
      this.segments.push({ base, size: (await stat(path)).size, path });
    }
    const last = this.segments[this.segments.length - 1];
    if (last) {
      const handle = await openPrivate(last.path, 'r+');
      const content = await handle.readFile();
      let valid = 0;
      for (;;) {
        const decoded = decodeFrame(content, valid, this.options.maxRecordBytes ?? 16 * 1024 * 1024);
        if (decoded.kind !== 'frame') break;
        valid += decoded.frame.size;
      }
      if (valid < content.length) {
        // A write torn by a crash: it was never acknowledged, so cutting it loses nothing acked.
        this.truncatedBytes = content.length - valid;
        await handle.truncate(valid);
        await handle.sync();
        last.size = valid;
      }
      await handle.close();
      this.active = { segment: last, handle: await openPrivate(last.path, 'a+') };
    } else {
      await this.startSegment(0);
    }

    let saved: Record<string, number>;
    try {
      saved = JSON.parse(await readFile(join(directory, OFFSETS_FILE), 'utf8')) as Record<string, number>;
    } catch {
      // Missing or unreadable offsets: consumers restart from the oldest record (redelivery, no loss).
      saved = {};
    }
    const hadOffsets = Object.keys(saved).length > 0;
    for (const consumer of this.options.consumers) {
      const value = saved[consumer];
      // A consumer added after the spool existed starts with new records; on a fresh or
      // offset-less spool every consumer starts at the beginning.
      const offset = typeof value === 'number' && Number.isSafeInteger(value) ? value : hadOffsets ? this.endOffset : this.startOffset;
      this.offsets.set(consumer, Math.min(Math.max(offset, this.startOffset), this.endOffset));
    }
  }

  private async startSegment(base: number): Promise<void> {
    const segment: Segment = { base, size: 0, path: join(this.options.directory, segmentName(base)) };
    const handle = await openPrivate(segment.path, 'a+');
    this.segments.push(segment);
    this.active = { segment, handle };
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        if (batch.length === 0) continue;
        if (this.options.fullPolicy === 'backpressure') await this.waitForSpace(batch.reduce((sum, append) => sum + append.bytes, 0));
        try {
          await this.writeBatch(batch);
          for (const append of batch) append.resolve();
        } catch (error) {
          for (const append of batch) append.reject(error as Error);
        }
        for (const waiter of this.dataWaiters.splice(0)) waiter();
        await this.enforceLimit();
      }
    } finally {
      this.flushing = false;
    }
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    if (this.closed) throw new Error('spool is closed');
    const data = Buffer.concat(batch.flatMap((append) => append.frames));
    if (this.active.segment.size > 0 && this.active.segment.size + data.length > this.options.segmentBytes) {
      if (this.options.fsync) await this.active.handle.datasync();
      await this.active.handle.close();
      await this.startSegment(this.endOffset);
    }
    const { segment, handle } = this.active;
    try {
      await handle.write(data, 0, data.length);
      if (this.options.fsync) await handle.datasync();
    } catch (error) {
      // Cut whatever part of the write landed, so the next write starts at a frame boundary.
      await handle.truncate(segment.size).catch(() => undefined);
      throw error;
    }
    segment.size += data.length;
  }

  private async waitForSpace(bytes: number): Promise<void> {
    const full = () => !this.closed && this.sizeBytes + bytes > this.options.maxBytes && this.sizeBytes > 0;
    if (!full()) return;
    this.options.onBackpressure?.(true);
    while (full()) await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    this.options.onBackpressure?.(false);
  }

  private minimumOffset(): number {
    let minimum = this.endOffset;
    for (const offset of this.offsets.values()) minimum = Math.min(minimum, offset);
    return minimum;
  }

  private async deleteConsumedSegments(): Promise<void> {
    const minimum = this.minimumOffset();
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      if (oldest.base + oldest.size > minimum) break;
      await this.deleteOldestSegment();
    }
  }

  private async enforceLimit(): Promise<void> {
    if (this.options.fullPolicy !== 'drop_oldest') return;
    while (this.sizeBytes > this.options.maxBytes && this.segments.length > 1) {
      // Out of the segment list at once (sizeBytes is within bounds from here); the file goes after
      // its events have been counted.
      const oldest = this.segments.shift()!;
      const newStart = oldest.base + oldest.size;
      const lagging = [...this.offsets].filter(([, offset]) => offset < newStart);
      for (const [consumer] of lagging) this.offsets.set(consumer, newStart);
      this.scheduleOffsetsWrite();
      const events = lagging.length > 0 ? await this.eventOffsets(oldest) : [];
      for (const [consumer, offset] of lagging)
        this.options.onDrop?.(consumer, newStart - offset, events.filter((eventOffset) => eventOffset >= offset).length);
      await unlink(oldest.path).catch(() => undefined);
      for (const waiter of this.spaceWaiters.splice(0)) waiter();
    }
  }

  /**
   * Offsets of the event records in `segment` (not the exchange-id records), read from disk just
   * before it is dropped so the loss can be reported in events as well as bytes.
   */
  private async eventOffsets(segment: Segment): Promise<number[]> {
    let content: Buffer;
    try {
      content = await readFile(segment.path);
    } catch {
      return [];
    }
    const offsets: number[] = [];
    const maxPayload = this.options.maxRecordBytes ?? 16 * 1024 * 1024;
    for (let position = 0; ;) {
      const decoded = decodeFrame(content, position, maxPayload);
      if (decoded.kind !== 'frame') return offsets;
      if (decoded.frame.type === RecordType.event) offsets.push(segment.base + position);
      position += decoded.frame.size;
    }
  }

  private async deleteOldestSegment(): Promise<void> {
    const oldest = this.segments.shift();
    if (!oldest) return;
    await unlink(oldest.path).catch(() => undefined);
    for (const waiter of this.spaceWaiters.splice(0)) waiter();
  }

  private scheduleOffsetsWrite(): void {
    if (this.offsetsTimer || this.closed) return;
    this.offsetsTimer = setTimeout(() => {
      this.offsetsTimer = undefined;
      this.offsetsWrite = this.offsetsWrite.then(() => this.writeOffsets()).catch(() => undefined);
    }, OFFSETS_PERSIST_DELAY_MS);
    this.offsetsTimer.unref();
  }

  private async writeOffsets(): Promise<void> {
    await writePrivateFileAtomically(join(this.options.directory, OFFSETS_FILE), JSON.stringify(Object.fromEntries(this.offsets)));
  }
}
