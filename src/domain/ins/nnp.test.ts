import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseNnp } from './nnp.js';

function errorOf(input: string): string {
  const result = parseNnp(input);
  if (result.ok) throw new Error(`expected "${input}" to be rejected`);
  return result.error;
}

describe('parseNnp: valid numbers', () => {
  it('parses a man’s number in creation, splitting caisse and order', () => {
    expect(parseNnp('7113112345678')).toEqual({
      ok: true,
      nnp: { value: '7113112345678', sex: '7', verification: '1', caisse: '131', order: '12345678' },
    });
  });

  it('parses a woman’s number', () => {
    const result = parseNnp('8175900000001');
    expect(result.ok && result.nnp.sex).toBe('8');
  });

  it('accepts verification digit 0 (numbers made before 2012)', () => {
    const result = parseNnp('7013112345678');
    expect(result.ok && result.nnp.verification).toBe('0');
  });

  it('strips whitespace', () => {
    const result = parseNnp(' 7 1 131 1234 5678\t');
    expect(result.ok && result.nnp.value).toBe('7113112345678');
  });
});

describe('parseNnp: rejected numbers', () => {
  it('rejects fictitious RFI numbers (second digit 2) with the reason', () => {
    expect(errorOf('7213112345678')).toBe('NNP second digit 2 marks a fictitious number (RFI), which must be ignored');
    expect(errorOf('8200000000000')).toMatch(/fictitious/);
  });

  it.each(['3', '4', '5', '6', '7', '8', '9'])('rejects second digit %s', (digit) => {
    expect(errorOf(`7${digit}13112345678`)).toBe(`NNP second digit must be 1 (creation) or 0, got ${digit}`);
  });

  it.each(['0', '1', '2', '3', '4', '5', '6', '9'])('rejects first digit %s', (digit) => {
    expect(errorOf(`${digit}113112345678`)).toBe(`NNP first digit must be 7 (man) or 8 (woman), got ${digit}`);
  });

  it.each([
    ['', 0],
    ['711311234567', 12],
    ['71131123456789', 14],
    ['184127645108946', 15],
  ])('rejects "%s" (length %i)', (input, length) => {
    expect(errorOf(input)).toBe(`NNP must have 13 digits, got ${length} characters`);
  });

  it('rejects non-digits, naming the position', () => {
    expect(errorOf('71131123456A8')).toBe('NNP character 12 must be a digit, got "A"');
    expect(errorOf('7-13112345678')).toBe('NNP character 2 must be a digit, got "-"');
  });
});

describe('NNP properties', () => {
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

  it('accepts exactly the 13-digit strings starting 70, 71, 80 or 81, and keeps their parts', () => {
    fc.assert(
      fc.property(digits(13), (value) => {
        const result = parseNnp(value);
        expect(result.ok).toBe(/^[78][01]/.test(value));
        if (result.ok) {
          expect(result.nnp.caisse + result.nnp.order).toBe(value.slice(2));
          expect(result.nnp.sex + result.nnp.verification + result.nnp.caisse + result.nnp.order).toBe(value);
        }
      }),
    );
  });

  it('never accepts a fictitious number', () => {
    fc.assert(
      fc.property(fc.constantFrom('7', '8'), digits(11), (sex, rest) => {
        expect(parseNnp(`${sex}2${rest}`).ok).toBe(false);
      }),
    );
  });
});
