import { describe, expect, it } from 'vitest';
import { queryWords, searchName } from './search-name.js';

describe('search names', () => {
  it('folds case, accents and punctuation', () => {
    expect(searchName('DOLIPRANE 1000 mg, comprimé')).toBe('doliprane 1000 mg comprime');
    expect(searchName('  Éfluelda  ')).toBe('efluelda');
    expect(queryWords('Comprimé, DOLI')).toEqual(['comprime', 'doli']);
    expect(queryWords(' ,; ')).toEqual([]);
  });
});
