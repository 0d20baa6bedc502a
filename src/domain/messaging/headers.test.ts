import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMssHeaders, writeMssHeaders } from './headers.js';

/** A lower-cased name → value lookup, as mailparser's headers map is read. */
function headers(map: Record<string, string>): (name: string) => string | undefined {
  const lower = new Map(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => lower.get(name);
}

const read = (map: Record<string, string>) => readMssHeaders(headers(map));
const CODE = /^[A-Za-z0-9.\-_:]{1,64}$/;

describe('readMssHeaders', () => {
  it('reads a message without any MSS header', () => {
    expect(read({})).toEqual({ ends: false, cdaCodes: [], problems: [] });
  });

  it.each(['FIN', 'fin', 'Fin', ' FIN ', 'fIn\t'])('reads X-MSS-MES %j as the end of the conversation', (value) => {
    expect(read({ 'X-MSS-MES': value })).toEqual({ ends: true, cdaCodes: [], problems: [] });
  });

  it.each(['NON', 'FINI', 'F I N', 'END', '', '   ', 'FIN,FIN'])('reports X-MSS-MES %j as a problem and does not end', (value) => {
    const h = read({ 'X-MSS-MES': value });
    expect(h.ends).toBe(false);
    expect(h.problems).toEqual([`X-MSS-MES: ${JSON.stringify(value.trim())} is not FIN`]);
  });

  it('quotes at most 40 characters of a wrong X-MSS-MES', () => {
    const h = read({ 'X-MSS-MES': 'x'.repeat(500) });
    expect(h.problems).toEqual([`X-MSS-MES: "${'x'.repeat(40)}" is not FIN`]);
  });

  it.each([
    ['O', true],
    ['o', true],
    [' O ', true],
    ['N', false],
    ['n', false],
  ])('reads X-MSS-INS %j', (value, qualified) => {
    expect(read({ 'X-MSS-INS': value })).toEqual({ ends: false, qualifiedIns: qualified, cdaCodes: [], problems: [] });
  });

  it.each(['OUI', 'NON', 'Y', '1', '', 'O N'])('reports X-MSS-INS %j as a problem, and says nothing of the INS', (value) => {
    const h = read({ 'X-MSS-INS': value });
    expect(h).not.toHaveProperty('qualifiedIns');
    expect(h.problems).toEqual(['X-MSS-INS is O or N']);
  });

  it('reads the X-MSS-CODECDA list in order, spaces and empty items dropped', () => {
    expect(read({ 'X-MSS-CODECDA': '11488-4' }).cdaCodes).toEqual(['11488-4']);
    expect(read({ 'X-MSS-CODECDA': ' 11488-4 ,34133-9,, 18748-4 , ' })).toEqual({
      ends: false,
      cdaCodes: ['11488-4', '34133-9', '18748-4'],
      problems: [],
    });
    expect(read({ 'X-MSS-CODECDA': '' }).cdaCodes).toEqual([]);
    expect(read({ 'X-MSS-CODECDA': ' , , ' })).toEqual({ ends: false, cdaCodes: [], problems: [] });
    expect(read({ 'X-MSS-CODECDA': 'urn:oid:1.2.3, a_b.c' }).cdaCodes).toEqual(['urn:oid:1.2.3', 'a_b.c']);
  });

  it('keeps the valid codes and reports the invalid ones (the first three)', () => {
    const h = read({ 'X-MSS-CODECDA': '11488-4, 114 88, é, 34133-9, <x>, a;b' });
    expect(h.cdaCodes).toEqual(['11488-4', '34133-9']);
    expect(h.problems).toEqual(['X-MSS-CODECDA holds invalid codes: 114 88, é, <x>']);
    expect(read({ 'X-MSS-CODECDA': `${'a'.repeat(65)},${'b'.repeat(64)}` })).toMatchObject({
      cdaCodes: ['b'.repeat(64)],
      problems: [`X-MSS-CODECDA holds invalid codes: ${'a'.repeat(65)}`],
    });
  });

  it('reads X-MSS-NIL trimmed, at most 200 characters, and drops an empty one', () => {
    expect(read({ 'X-MSS-NIL': '  Carnet 0.1.0 ' }).nil).toBe('Carnet 0.1.0');
    expect(read({ 'X-MSS-NIL': 'n'.repeat(300) }).nil).toBe('n'.repeat(200));
    expect(read({ 'X-MSS-NIL': '   ' })).not.toHaveProperty('nil');
    expect(read({ 'X-MSS-NIL': '' })).not.toHaveProperty('nil');
  });

  it('reads them all together, with every problem', () => {
    expect(read({ 'X-MSS-MES': 'fin', 'X-MSS-INS': 'o', 'X-MSS-CODECDA': '11488-4, bad code', 'X-MSS-NIL': 'LGC 2.1' })).toEqual({
      ends: true,
      qualifiedIns: true,
      cdaCodes: ['11488-4'],
      nil: 'LGC 2.1',
      problems: ['X-MSS-CODECDA holds invalid codes: bad code'],
    });
    expect(read({ 'X-MSS-MES': 'no', 'X-MSS-INS': '?', 'X-MSS-CODECDA': '!' }).problems).toHaveLength(3);
  });

  it('never throws, and only ever gives codes of the right form (property)', () => {
    const value = fc.option(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('FIN', 'O', 'N', '11488-4, 34133-9')), { nil: undefined });
    fc.assert(
      fc.property(value, value, value, value, (mes, ins, codes, nil) => {
        const map: Record<string, string | undefined> = { 'x-mss-mes': mes, 'x-mss-ins': ins, 'x-mss-codecda': codes, 'x-mss-nil': nil };
        const h = readMssHeaders((name) => map[name]);
        for (const c of h.cdaCodes) expect(c).toMatch(CODE);
        expect(h.ends).toBe(mes !== undefined && mes.trim().toUpperCase() === 'FIN');
        if (h.nil !== undefined) expect(h.nil.length).toBeLessThanOrEqual(200);
        if (h.problems.length === 0) {
          expect(mes === undefined || h.ends).toBe(true);
          expect(ins === undefined || h.qualifiedIns !== undefined).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeMssHeaders', () => {
  it('always names the software', () => {
    expect(writeMssHeaders({ nil: 'Carnet 0.1.0' })).toEqual({ 'X-MSS-NIL': 'Carnet 0.1.0' });
    expect(writeMssHeaders({ nil: 'Carnet 0.1.0', ends: false, cdaCodes: [] })).toEqual({ 'X-MSS-NIL': 'Carnet 0.1.0' });
  });

  it('writes FIN when the professional ends the conversation', () => {
    expect(writeMssHeaders({ nil: 'Carnet', ends: true })).toEqual({ 'X-MSS-NIL': 'Carnet', 'X-MSS-MES': 'FIN' });
  });

  it('writes the CDA codes, comma-separated, with X-MSS-INS O or N, only when there are CDA documents', () => {
    expect(writeMssHeaders({ nil: 'Carnet', cdaCodes: ['11488-4', '34133-9'], qualifiedIns: true })).toEqual({
      'X-MSS-NIL': 'Carnet',
      'X-MSS-CODECDA': '11488-4,34133-9',
      'X-MSS-INS': 'O',
    });
    expect(writeMssHeaders({ nil: 'Carnet', cdaCodes: ['11488-4'], qualifiedIns: false })['X-MSS-INS']).toBe('N');
    expect(writeMssHeaders({ nil: 'Carnet', cdaCodes: ['11488-4'] })['X-MSS-INS']).toBe('N');
    expect(writeMssHeaders({ nil: 'Carnet', qualifiedIns: true })).toEqual({ 'X-MSS-NIL': 'Carnet' });
  });

  it('gives back ends, qualifiedIns, the codes and the NIL once read (round trip, property)', () => {
    const nil = fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim() === s && s !== '');
    const spec = fc.record(
      {
        ends: fc.boolean(),
        qualifiedIns: fc.boolean(),
        cdaCodes: fc.array(fc.stringMatching(CODE), { maxLength: 6 }),
        nil,
      },
      { requiredKeys: ['nil'] },
    );
    fc.assert(
      fc.property(spec, (h) => {
        const written = writeMssHeaders(h);
        const got = read(written);
        const codes = h.cdaCodes ?? [];
        expect(got.problems).toEqual([]);
        expect(got.ends).toBe(h.ends === true);
        expect(got.cdaCodes).toEqual(codes);
        // X-MSS-INS travels with CDA documents only; without qualifiedIns it says N
        expect(got.qualifiedIns).toBe(codes.length > 0 ? h.qualifiedIns === true : undefined);
        expect(got.nil).toBe(h.nil);
      }),
      { numRuns: 300 },
    );
  });
});
