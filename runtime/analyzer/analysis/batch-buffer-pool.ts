/**
 * The buffers batches travel to an analysis worker in, reused. A batch is copied into one buffer
 * that is transferred to the worker, and the worker transfers it back with its reply. Without the
 * return trip each batch's copy stayed allocated until the worker's next full garbage collection
 * (the buffer outlives many young-generation collections while its batch is analyzed, so it is
 * promoted), and the real mix's 1–2 MB copies piled up by the dozen; returned buffers are reused,
 * so the copies cost a bounded amount of memory and no allocation.
 */
export class BatchBufferPool {
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;

  /**
   * @param maxFreeBytes most bytes kept for reuse; a returned buffer beyond that is left to the collector
   * @param unitBytes sizes are rounded up to a multiple of this, so a buffer fits later batches of
   *   about the same size without the waste of rounding to a power of two
   */
  constructor(
    private readonly maxFreeBytes: number,
    private readonly unitBytes = 64 * 1024,
  ) {}

  /** Bytes held for reuse. */
  get heldBytes(): number {
    return this.freeBytes;
  }

  /** A buffer of at least `size` bytes: the smallest free one that fits, or a new one. */
  take(size: number): ArrayBuffer {
    let best = -1;
    for (let index = 0; index < this.free.length; index++) {
      const length = this.free[index]!.byteLength;
      if (length >= size && (best < 0 || length < this.free[best]!.byteLength)) best = index;
    }
    if (best >= 0) {
      const [buffer] = this.free.splice(best, 1);
      this.freeBytes -= buffer!.byteLength;
      return buffer!;
    }
    return new ArrayBuffer(Math.max(1, Math.ceil(size / this.unitBytes)) * this.unitBytes);
  }

  /** Takes a buffer back for reuse (detached or oversized ones are dropped). */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || this.freeBytes + buffer.byteLength > this.maxFreeBytes) return;
    this.free.push(buffer);
    this.freeBytes += buffer.byteLength;
  }
}
