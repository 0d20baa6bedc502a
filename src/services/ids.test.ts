import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids.js';

describe('uuidv7', () => {
  it('is a version 7, variant 10 UUID', () => {
    for (let i = 0; i < 100; i++) expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts in creation order, within a millisecond too', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries the timestamp in its first 48 bits, and never goes back in time (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1_700_000_000_000, max: 2_000_000_000_000 }), { minLength: 2, maxLength: 50 }), (times) => {
        const sorted = [...times].sort((a, b) => a - b);
        const ids = sorted.map((t) => uuidv7(t));
        expect([...ids].sort()).toEqual(ids);
        const first = parseInt(ids[ids.length - 1]!.replaceAll('-', '').slice(0, 12), 16);
        expect(first).toBeGreaterThanOrEqual(sorted[sorted.length - 1]!);
      }),
    );
  });
});
