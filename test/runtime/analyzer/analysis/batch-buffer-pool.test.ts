import { BatchBufferPool } from '@/runtime/analyzer/analysis';

describe('BatchBufferPool: the buffers batches travel to the workers in', () => {
  it('makes buffers in whole units, so one fits later batches of about the same size', () => {
    const pool = new BatchBufferPool(1 << 20, 1024);
    expect(pool.take(0).byteLength).toBe(1024);
    expect(pool.take(10).byteLength).toBe(1024);
    expect(pool.take(1025).byteLength).toBe(2048);
    expect(pool.take(5000).byteLength).toBe(5120);
  });

  it('reuses a returned buffer, the smallest that fits', () => {
    const pool = new BatchBufferPool(1 << 20, 1024);
    const small = pool.take(1000);
    const large = pool.take(4000);
    pool.give(large);
    pool.give(small);
    expect(pool.heldBytes).toBe(1024 + 4096);
    expect(pool.take(900)).toBe(small);
    expect(pool.take(900)).toBe(large);
    expect(pool.heldBytes).toBe(0);
    expect(pool.take(900)).not.toBe(small);
  });

  it('keeps no more than its bound, and drops detached buffers', () => {
    const pool = new BatchBufferPool(3000, 1024);
    const buffers = [pool.take(1), pool.take(1), pool.take(1)];
    for (const buffer of buffers) pool.give(buffer);
    expect(pool.heldBytes).toBe(2048);
    const detached = pool.take(1);
    structuredClone(detached, { transfer: [detached] });
    pool.give(detached);
    expect(pool.heldBytes).toBe(1024);
  });
});
