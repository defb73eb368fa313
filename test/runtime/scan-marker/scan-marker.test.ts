import fc from 'fast-check';
import { signScanMarker, verifyScanMarker } from '@/runtime/scan-marker';

const key = Buffer.alloc(32, 7);
const now = new Date('2026-11-26T10:00:00Z');

describe('scan marker', () => {
  it('verifies a fresh marker it signed', () => {
    const marker = signScanMarker('scan-1', key, now);
    expect(verifyScanMarker(marker, key, new Date(now.getTime() + 60_000))).toEqual({ valid: true, scanId: 'scan-1', ageSeconds: 60 });
  });

  it('rejects a stale marker, a wrong key and a forged scan id', () => {
    const marker = signScanMarker('scan-1', key, now);
    expect(verifyScanMarker(marker, key, new Date(now.getTime() + 301_000))).toEqual({ valid: false, reason: 'stale' });
    expect(verifyScanMarker(marker, Buffer.alloc(32, 8), now)).toEqual({ valid: false, reason: 'bad_signature' });
    expect(verifyScanMarker(marker.replace('scan-1', 'scan-2'), key, now)).toEqual({ valid: false, reason: 'bad_signature' });
    expect(verifyScanMarker(undefined, key, now)).toEqual({ valid: false, reason: 'malformed' });
  });

  it('refuses bad scan ids and short keys with a clear error', () => {
    expect(() => signScanMarker('a.b', key, now)).toThrow(/scan id "a.b" is not valid/);
    expect(() => signScanMarker('ok', Buffer.alloc(4), now)).toThrow(/at least 16 random bytes/);
  });

  it('never accepts arbitrary header values', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (value) => {
        expect(verifyScanMarker(value, key, now).valid).toBe(false);
      }),
    );
  });
});
