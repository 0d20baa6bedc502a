import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAttachments, LIMITS, type LimitVerdict } from './limits.js';

const MB = 1024 * 1024;
const MAX = LIMITS.maxAttachmentBytes;
const sized = (...bytes: number[]) => bytes.map((b) => ({ bytes: b }));
const code = (v: LimitVerdict) => (v.ok ? 'ok' : v.code);

describe('LIMITS', () => {
  it('holds the documented defaults', () => {
    expect(LIMITS).toEqual({
      maxAttachments: 10,
      maxAttachmentBytes: 10 * MB,
      maxMessageBytes: 15 * MB,
      subjectMaxLength: 250,
      bodyMaxLength: 100_000,
      maxRecipients: 20,
    });
    // a whole message (base64 of the attachments: 4/3 of them, plus headers) fits the SMTP limit
    expect(LIMITS.maxMessageBytes).toBeGreaterThan(LIMITS.maxAttachmentBytes);
  });
});

describe('checkAttachments', () => {
  it('accepts a message without attachments, even when the quota is spent', () => {
    expect(checkAttachments([], 0)).toEqual({ ok: true });
    expect(checkAttachments([], 1000)).toEqual({ ok: true });
  });

  it('accepts exactly 10 attachments, refuses 11 (even empty ones)', () => {
    expect(checkAttachments(sized(...Array<number>(10).fill(1)), MAX)).toEqual({ ok: true });
    const v = checkAttachments(sized(...Array<number>(11).fill(0)), MAX);
    expect(v).toMatchObject({ ok: false, code: 'messages.too-many-attachments' });
    if (!v.ok) expect(v.reason).toContain('10');
  });

  it('accepts exactly 10 MB of attachments, refuses one byte more', () => {
    expect(checkAttachments(sized(MAX), 100 * MB)).toEqual({ ok: true });
    expect(checkAttachments(sized(MAX / 2, MAX / 2), 100 * MB)).toEqual({ ok: true });
    expect(checkAttachments(sized(...Array<number>(10).fill(MAX / 10)), 100 * MB)).toEqual({ ok: true });
    const one = checkAttachments(sized(MAX + 1), 100 * MB);
    expect(one).toMatchObject({ ok: false, code: 'messages.attachments-too-large' });
    if (!one.ok) expect(one.reason).toContain('10 MB');
    expect(code(checkAttachments(sized(MAX / 2, MAX / 2, 1), 100 * MB))).toBe('messages.attachments-too-large');
    expect(code(checkAttachments(sized(MAX / 2, MAX / 2 + 1), 100 * MB))).toBe('messages.attachments-too-large');
  });

  it('accepts attachments that fill the quota exactly, refuses one byte more', () => {
    expect(checkAttachments(sized(1000, 24), 1024)).toEqual({ ok: true });
    const v = checkAttachments(sized(1000, 25), 1024);
    expect(v).toMatchObject({ ok: false, code: 'messages.quota-exceeded' });
    if (!v.ok) expect(v.reason.trim()).not.toBe('');
    expect(code(checkAttachments(sized(MAX), MAX))).toBe('ok');
    expect(code(checkAttachments(sized(MAX), MAX - 1))).toBe('messages.quota-exceeded');
  });

  it('reports the number of attachments first, then their weight, then the quota', () => {
    expect(code(checkAttachments(sized(...Array<number>(11).fill(MAX)), 0))).toBe('messages.too-many-attachments');
    expect(code(checkAttachments(sized(MAX, 1), 0))).toBe('messages.attachments-too-large');
  });

  it('decides as the limits say, for any list of sizes and any quota left (property)', () => {
    // sizes around the limit's tenth, so that both sides of every boundary are often reached
    const size = fc.oneof(fc.integer({ min: 0, max: MAX / 4 }), fc.integer({ min: 0, max: MAX + 2 }), fc.constantFrom(0, 1, MAX / 10, MAX / 2, MAX));
    const arb = fc.tuple(fc.array(size, { maxLength: 13 }), fc.oneof(fc.integer({ min: -2, max: 2 }).map((d) => ({ delta: d })), fc.integer({ min: 0, max: 30 * MB }).map((q) => ({ quota: q }))));
    fc.assert(
      fc.property(arb, ([sizes, q]) => {
        const total = sizes.reduce((s, b) => s + b, 0);
        const quota = 'quota' in q ? q.quota : Math.max(0, total + q.delta);
        const v = checkAttachments(sized(...sizes), quota);
        const expected =
          sizes.length > LIMITS.maxAttachments
            ? 'messages.too-many-attachments'
            : total > LIMITS.maxAttachmentBytes
              ? 'messages.attachments-too-large'
              : total > quota
                ? 'messages.quota-exceeded'
                : 'ok';
        expect(code(v)).toBe(expected);
        if (v.ok) expect(v).toEqual({ ok: true });
        else expect(v.reason.trim()).not.toBe('');
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order of the attachments (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: Math.floor(MAX / 3) }), { maxLength: 12 }), fc.integer({ min: 0, max: 20 * MB }), (sizes, quota) => {
        expect(checkAttachments(sized(...[...sizes].reverse()), quota)).toEqual(checkAttachments(sized(...sizes), quota));
      }),
      { numRuns: 100 },
    );
  });
});
