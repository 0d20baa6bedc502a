import { describe, expect, it } from 'vitest';
import { newSecret } from './credentials.js';

describe('newSecret', () => {
  it('gives 32 letters and digits, none a tool could take for an option or a reader mistype', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const s = newSecret();
      expect(s).toMatch(/^[A-HJ-NP-Za-km-np-z2-9]{32}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(2000);
  });
});
