import fc from 'fast-check';
import type { NirParts, NirSex } from '../../src/domain/ins/nir.js';

/** fast-check generators of NIR parts (metropolitan, Corsican, overseas and foreign births), for property tests. */

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `width` decimal digits, zero-padded. */
export const digits = (width: number): fc.Arbitrary<string> => fc.integer({ min: 0, max: 10 ** width - 1 }).map((n) => pad(n, width));

export const placeArb = fc.oneof(
  fc.record({ department: fc.integer({ min: 1, max: 95 }).map((n) => pad(n, 2)), commune: digits(3) }),
  fc.record({ department: fc.constantFrom('2A', '2B'), commune: digits(3) }),
  fc.record({ department: fc.tuple(fc.constantFrom('97', '98'), digits(1)).map(([d, x]) => d + x), commune: digits(2) }),
  fc.record({ department: fc.constant('99'), commune: digits(3) }),
);

export const partsArb: fc.Arbitrary<NirParts> = fc
  .tuple(
    fc.record({
      sex: fc.constantFrom<NirSex>('1', '2'),
      birthYear: digits(2),
      birthMonth: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 20, max: 99 })).map((n) => pad(n, 2)),
      order: digits(3),
    }),
    placeArb,
  )
  .map(([rest, place]) => ({ ...rest, ...place }));
