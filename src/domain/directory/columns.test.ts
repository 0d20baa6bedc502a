import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_HEADER, MAILBOX_HEADER, headerKey, parseDirectoryHeader, splitFields, type ActivityColumns } from './columns.js';
import { createLineReader } from './lines.js';

const line = (names: readonly string[], trailing = true) => names.join('|') + (trailing ? '|' : '');

function activityColumns(header: string): ActivityColumns {
  const r = parseDirectoryHeader(header);
  if (!r.ok) throw new Error(r.error);
  if (r.kind !== 'activities') throw new Error(`read as ${r.kind}`);
  return r.columns;
}

describe('headerKey', () => {
  it('ignores accents, case, apostrophes, doubled spaces and the parenthesised qualifiers', () => {
    expect(headerKey('Code postal (coord. structure)')).toBe('code postal');
    expect(headerKey('Code Département (structure)')).toBe('code departement');
    expect(headerKey("LIBELLÉ  CIVILITÉ D’EXERCICE")).toBe("libelle civilite d'exercice");
  });
});

describe('parseDirectoryHeader', () => {
  it('reads the 56-column activity header, with or without the trailing "|" and a byte order mark', () => {
    for (const header of [line(ACTIVITY_HEADER), line(ACTIVITY_HEADER, false), `\uFEFF${line(ACTIVITY_HEADER)}`]) {
      const c = activityColumns(header);
      expect(c.fields).toBe(56);
      expect(c.index.idType).toBe(0);
      expect(c.index.idnat).toBe(2);
      expect(c.index.family).toBe(7);
      expect(c.index.civilityCode).toBe(5);
      expect(c.index.practiceCivilityCode).toBe(3);
      expect(c.index.phone).toBe(40);
      expect(c.index.phone2).toBe(41);
      expect(c.index.structureId).toBe(23);
      expect(c.index.roleCode).toBe(52);
      expect(c.index.genreLabel).toBe(55);
    }
  });

  it('reads the legacy 52-column header: the four later columns are absent', () => {
    const c = activityColumns(line(ACTIVITY_HEADER.slice(0, 52)));
    expect(c.fields).toBe(52);
    expect([c.index.roleCode, c.index.roleLabel, c.index.genreCode, c.index.genreLabel]).toEqual([-1, -1, -1, -1]);
    expect(c.index.pharmacistSectionLabel).toBe(51);
  });

  it('accepts the "Code fonction" and "genre d\'activité" spellings of the last four columns', () => {
    const names = [...ACTIVITY_HEADER.slice(0, 52), 'Code fonction', 'Libellé fonction', "Code genre d'activité", "Libellé genre d'activité"];
    const c = activityColumns(line(names));
    expect([c.index.roleCode, c.index.roleLabel, c.index.genreCode, c.index.genreLabel]).toEqual([52, 53, 54, 55]);
  });

  it('finds every column by its name, whatever the order (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...ACTIVITY_HEADER], { minLength: ACTIVITY_HEADER.length }), (names) => {
        const c = activityColumns(line(names));
        const reference = activityColumns(line(ACTIVITY_HEADER));
        for (const [key, i] of Object.entries(reference.index)) expect(names[c.index[key as keyof typeof c.index]]).toBe(ACTIVITY_HEADER[i]);
      }),
      { numRuns: 50 },
    );
  });

  it('tolerates other capitalisation and missing accents in names', () => {
    const names = ACTIVITY_HEADER.map((n) => n.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase());
    const c = activityColumns(line(names));
    expect(c.index.city).toBe(37);
    expect(c.index.postalCode).toBe(35);
  });

  it('fails loudly, naming it, when a required column is missing', () => {
    const without = (name: string) => parseDirectoryHeader(line(ACTIVITY_HEADER.filter((n) => n !== name)));
    expect(without("Nom d'exercice")).toEqual({ ok: false, error: "The header of this PS_LibreAcces_Personne_activite file lacks the column 'Nom d'exercice'" });
    expect(without('Code profession')).toMatchObject({ ok: false, error: expect.stringContaining("'Code profession'") });
    expect(without('Identifiant technique de la structure')).toMatchObject({ ok: false });
    // an optional column may be absent
    expect(without('Télécopie (coord. structure)')).toMatchObject({ ok: true });
  });

  it('reads the MSSanté header', () => {
    const r = parseDirectoryHeader(line(MAILBOX_HEADER));
    expect(r).toMatchObject({ ok: true, kind: 'mailboxes', columns: { fields: 31, index: { kind: 0, address: 1, idnat: 4, cityLine: 27, postalCode: 28 } } });
  });

  it('refuses the other files of the archive, an unknown header, the wrong kind, and latin-1 text', () => {
    const savoirFaire = "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|";
    expect(parseDirectoryHeader(savoirFaire)).toMatchObject({ ok: false, error: expect.stringMatching(/SavoirFaire.*Personne_activite instead/) });
    const dipl = "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|Prénom d'exercice|Code type diplôme obtenu|Libellé type diplôme obtenu|Code diplôme obtenu|";
    expect(parseDirectoryHeader(dipl)).toMatchObject({ ok: false, error: expect.stringMatching(/Dipl_AutExerc/) });
    expect(parseDirectoryHeader('nir;nom;prenom')).toMatchObject({ ok: false, error: expect.stringMatching(/neither PS_LibreAcces_Personne_activite nor Extraction_Correspondance_MSSante/) });
    expect(parseDirectoryHeader(line(MAILBOX_HEADER), 'activities')).toMatchObject({ ok: false, error: 'Expected a activities file, but the header is that of a mailboxes file' });
    expect(parseDirectoryHeader(line(ACTIVITY_HEADER).replace('Prénom', 'Pr\uFFFDnom'))).toMatchObject({ ok: false, error: expect.stringMatching(/not UTF-8/) });
  });
});

describe('splitFields', () => {
  it('drops the trailing empty field, accepts a line without it, and gives the count otherwise', () => {
    expect(splitFields('a|b|c|', 3)).toEqual({ ok: true, fields: ['a', 'b', 'c'] });
    expect(splitFields('a|b||', 3)).toEqual({ ok: true, fields: ['a', 'b', ''] });
    expect(splitFields('a|b|c', 3)).toEqual({ ok: true, fields: ['a', 'b', 'c'] });
    // without the trailing '|', a last empty field cannot be told from it: the line is read as complete
    expect(splitFields('a|b|', 3)).toEqual({ ok: true, fields: ['a', 'b', ''] });
    expect(splitFields('a|', 3)).toEqual({ ok: false, reason: 'wrong number of fields: 1 instead of 3' });
    expect(splitFields('a|b|c|d|', 3)).toEqual({ ok: false, reason: 'wrong number of fields: 4 instead of 3' });
  });
});

describe('createLineReader', () => {
  it('gives the same lines however the text is cut into chunks, with LF or CRLF and a byte order mark (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '|', ' ', '1') }), { maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 10 }),
        (lines, crlf, cuts) => {
          const text = `\uFEFF${lines.join(crlf ? '\r\n' : '\n')}`;
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const reader = createLineReader();
          const out: string[] = [];
          let from = 0;
          for (const p of [...points, text.length]) {
            out.push(...reader.push(text.slice(from, p)));
            from = p;
          }
          out.push(...reader.end());
          const expected = lines.join('\n').split('\n');
          if (expected[expected.length - 1] === '') expected.pop();
          expect(out).toEqual(expected);
        },
      ),
    );
  });
});
