import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CODE_ALPHABET, CODE_LENGTH, OTP_LENGTH, formatCode, makeCode, makeOtp, normalizeCode, normalizeOtp } from './codes.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('CODE_ALPHABET', () => {
  it('has 32 distinct upper-case letters and digits, without 0, O, 1 or I', () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    expect(CODE_ALPHABET).toMatch(/^[A-Z2-9]+$/);
    for (const c of '01OI') expect(CODE_ALPHABET).not.toContain(c);
  });
});

describe('makeCode', () => {
  it('maps each byte modulo 32', () => {
    expect(makeCode(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 31))).toBe('23456789ABCZ');
    expect(makeCode(bytes(32, 64, 96, 128, 160, 192, 224, 255, 63, 95, 127, 159))).toBe('2222222ZZZZZ');
  });

  it('uses the first 12 bytes only', () => {
    expect(makeCode(new Uint8Array(40).fill(33))).toBe('333333333333');
  });

  it('needs 12 bytes', () => {
    expect(() => makeCode(new Uint8Array(11))).toThrow(new RangeError('makeCode needs at least 12 random bytes, got 11'));
  });

  it('is unbiased: every character comes from exactly 8 byte values', () => {
    const counts = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const c = makeCode(new Uint8Array(12).fill(b))[0];
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    expect([...counts.values()].every((n) => n === 8)).toBe(true);
  });

  it('every generated code normalizes and formats back to itself', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 32 }), (random) => {
        const code = makeCode(random);
        expect(code).toHaveLength(CODE_LENGTH);
        expect(normalizeCode(code)).toBe(code);
        expect(normalizeCode(code.toLowerCase())).toBe(code);
        const printed = formatCode(code);
        expect(printed).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
        expect(normalizeCode(printed)).toBe(code);
        expect(normalizeCode(printed.replace(/-/g, ' '))).toBe(code);
      }),
    );
  });
});

describe('normalizeCode', () => {
  it.each([
    ['ABCD-EFGH-JK23', 'ABCDEFGHJK23'],
    ['abcd efgh jk23', 'ABCDEFGHJK23'],
    [' ABCD\tEFGH\nJK23 ', 'ABCDEFGHJK23'],
    ['AB-CD-EF-GH-JK-23', 'ABCDEFGHJK23'],
    ['ABCD–EFGH–JK23', 'ABCDEFGHJK23'],
    ['llll-llll-llll', 'LLLLLLLLLLLL'],
  ])('%j → %s', (input, code) => {
    expect(normalizeCode(input)).toBe(code);
  });

  it.each([
    'ABCD-EFGH-JK2',
    'ABCD-EFGH-JK234',
    '',
    'ABCD-EFGH-JK20',
    'ABCD-EFGH-JK21',
    'ABCD-EFGH-JKO3',
    'ABCD-EFGH-JKI3',
    'ABCD_EFGH_JK23',
    'ABCD.EFGH.JK23',
    'ÀBCD-EFGH-JK23',
  ])('rejects %j', (input) => {
    expect(normalizeCode(input)).toBeUndefined();
  });
});

describe('formatCode', () => {
  it('groups by 4', () => {
    expect(formatCode('abcdefghjk23')).toBe('ABCD-EFGH-JK23');
  });

  it('throws on an invalid code', () => {
    expect(() => formatCode('ABCD')).toThrow(RangeError);
  });
});

describe('makeOtp', () => {
  /** A source replaying the given bytes, then failing the test if asked for more. */
  function replay(...values: number[]) {
    const queue = [...values];
    const sizes: number[] = [];
    const source = (size: number) => {
      sizes.push(size);
      if (queue.length === 0) throw new Error('no more bytes');
      return Uint8Array.from(queue.splice(0, size));
    };
    return { source, sizes };
  }

  it('takes each byte modulo 10', () => {
    expect(makeOtp(replay(0, 1, 12, 123, 249, 9).source)).toBe('012399');
  });

  it('rejects bytes 250–255 and draws more', () => {
    const { source, sizes } = replay(250, 1, 255, 2, 3, 4, 251, 5, 6);
    expect(makeOtp(source)).toBe('123456');
    expect(sizes).toEqual([6, 2, 1]);
  });

  it('copes with sources returning more or fewer bytes than asked', () => {
    expect(makeOtp(() => Uint8Array.from([7, 8, 9, 10, 11, 12, 13, 14]))).toBe('789012');
    expect(makeOtp(() => Uint8Array.from([3]))).toBe('333333');
  });

  it('gives up on a source that only returns unusable bytes', () => {
    expect(() => makeOtp((n) => new Uint8Array(n).fill(255))).toThrow('random source');
    expect(() => makeOtp(() => new Uint8Array(0))).toThrow('random source');
  });

  it('is unbiased: every digit comes from exactly 25 accepted byte values', () => {
    const counts = new Array(10).fill(0);
    for (let b = 0; b < 250; b++) counts[Number(makeOtp(() => Uint8Array.from([b]))[0])]++;
    expect(counts).toEqual(new Array(10).fill(25));
  });

  it('always gives 6 digits that normalize to themselves', () => {
    fc.assert(
      fc.property(fc.infiniteStream(fc.integer({ min: 0, max: 255 })), (stream) => {
        const otp = makeOtp((n) => Uint8Array.from(stream.take(n)));
        expect(otp).toMatch(/^\d{6}$/);
        expect(otp).toHaveLength(OTP_LENGTH);
        expect(normalizeOtp(otp)).toBe(otp);
        expect(normalizeOtp(`${otp.slice(0, 3)} ${otp.slice(3)}`)).toBe(otp);
      }),
    );
  });
});

describe('normalizeOtp', () => {
  it.each([
    ['123456', '123456'],
    [' 123 456 ', '123456'],
    ['123-456', '123456'],
    ['000000', '000000'],
  ])('%j → %s', (input, otp) => {
    expect(normalizeOtp(input)).toBe(otp);
  });

  it.each(['12345', '1234567', '', '12345a', '١٢٣٤٥٦', '１２３４５６', '123.456', '+12345'])('rejects %j', (input) => {
    expect(normalizeOtp(input)).toBeUndefined();
  });
});
