import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRecordReader, formatCsvField, formatCsvRecord, parseCsv, type CsvRecord } from './csv.js';
import { generatePopulation } from './generate.js';

/** Reads `text` cut at the given positions. */
function readInChunks(text: string, cuts: readonly number[]): CsvRecord[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
  const reader = createRecordReader();
  const records: CsvRecord[] = [];
  let from = 0;
  for (const to of [...points, text.length]) {
    records.push(...reader.push(text.slice(from, to)));
    from = to;
  }
  records.push(...reader.end());
  return records;
}

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('splits records on LF, CRLF and a lone CR, and fields on semicolons', () => {
    expect(fieldsOf('a;b;c\nd;e;f\r\ng;h;i\rj;k;l')).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
      ['g', 'h', 'i'],
      ['j', 'k', 'l'],
    ]);
  });

  it('does not return an empty record for a final line break', () => {
    expect(fieldsOf('a;b\r\n')).toEqual([['a', 'b']]);
    expect(fieldsOf('a;b\n')).toEqual([['a', 'b']]);
    expect(fieldsOf('')).toEqual([]);
  });

  it('keeps empty fields, including leading and trailing ones', () => {
    expect(fieldsOf(';a;;b;\n;')).toEqual([
      ['', 'a', '', 'b', ''],
      ['', ''],
    ]);
  });

  it('skips empty lines but keeps their line numbers counted', () => {
    const records = parseCsv('h1;h2\n\na;b\r\n\r\n\r\nc;d\n');
    expect(records).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 3, fields: ['a', 'b'] },
      { line: 6, fields: ['c', 'd'] },
    ]);
  });

  it('drops a UTF-8 BOM at the start only', () => {
    expect(fieldsOf('\uFEFFnir;sex\n1;\uFEFFM')).toEqual([
      ['nir', 'sex'],
      ['1', '\uFEFFM'],
    ]);
  });

  describe('quoting (RFC 4180)', () => {
    it('reads separators, doubled quotes and line breaks inside quotes', () => {
      expect(fieldsOf('"a;b";"say ""hi""";"line 1\nline 2";"x\r\ny"\n')).toEqual([
        ['a;b', 'say "hi"', 'line 1\nline 2', 'x\r\ny'],
      ]);
    });

    it('reads an empty quoted field and a field that is only a quote', () => {
      expect(fieldsOf('"";"""";a\n""')).toEqual([['', '"', 'a'], ['']]);
    });

    it('gives each record the line it starts on, quoted line breaks included', () => {
      const records = parseCsv('h\r\n"one\r\ntwo\nthree"\r\nnext\r\n"a\rb"\nlast');
      expect(records.map((r) => r.line)).toEqual([1, 2, 5, 6, 8]);
    });

    it('keeps a quote inside an unquoted field as an ordinary character', () => {
      expect(fieldsOf('ab"c;d""e\n')).toEqual([['ab"c', 'd""e']]);
    });

    it('reports text after a closing quote, and still returns the record', () => {
      const [record, next] = parseCsv('"abc"def;x\nok;y\n');
      expect(record).toEqual({ line: 1, fields: ['abcdef', 'x'], error: 'unexpected character after a closing quote in field 1' });
      expect(next).toEqual({ line: 2, fields: ['ok', 'y'] });
    });

    it('reports a quoted field left open at the end of the input', () => {
      const records = parseCsv('a;b\nc;"never closed\nd;e\n');
      expect(records).toHaveLength(2);
      expect(records[1]).toEqual({
        line: 2,
        fields: ['c', 'never closed\nd;e\n'],
        error: 'quoted field opened on line 2 is not closed at the end of the file',
      });
    });
  });

  it('bounds the length of a field and the number of fields', () => {
    const [long] = parseCsv(`${'x'.repeat(50)};y\n`, { maxFieldLength: 10 });
    expect(long!.fields).toEqual(['x'.repeat(10), 'y']);
    expect(long!.error).toBe('field 1 is longer than 10 characters');

    const [wide] = parseCsv('1;2;3;4;5\n', { maxFields: 3 });
    expect(wide!.fields).toEqual(['1', '2', '3']);
    expect(wide!.error).toBe('record has more than 3 fields');
  });
});

describe('createRecordReader', () => {
  it('returns records as soon as they are complete', () => {
    const reader = createRecordReader();
    expect(reader.push('a;b\nc;')).toEqual([{ line: 1, fields: ['a', 'b'] }]);
    expect(reader.push('"d\n')).toEqual([]);
    expect(reader.push('e";f\r')).toEqual([{ line: 2, fields: ['c', 'd\ne', 'f'] }]);
    expect(reader.push('\ng')).toEqual([]);
    expect(reader.end()).toEqual([{ line: 4, fields: ['g'] }]);
    expect(() => reader.push('more')).toThrow(/after end/);
  });

  it('handles a CRLF, a doubled quote and a BOM cut between two chunks', () => {
    expect(readInChunks('\uFEFFa;"x""y"\r\nb', [1, 6, 7, 10])).toEqual([
      { line: 1, fields: ['a', 'x"y'] },
      { line: 2, fields: ['b'] },
    ]);
    expect(readInChunks('\uFEFFa\r\nb', [0, 0, 1])).toEqual(parseCsv('a\nb'));
  });

  it('reads a generated file cut anywhere exactly as in one piece', () => {
    const today = new Date('2025-06-15T00:00:00Z');
    const text = [...generatePopulation({ count: 150, seed: 11, today, badRowRatio: 0.1 })].join('\r\n')
      // Quoted fields with line breaks and separators, to cut inside quotes too.
      .concat('\r\n"multi\r\nline";"a;b";"q""q"\n"open');
    const whole = parseCsv(text);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: text.length }), { maxLength: 60 }), (cuts) => {
        expect(readInChunks(text, cuts)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same records for any text and any cuts (fields, errors and line numbers)', () => {
    const tricky = fc.string({ unit: fc.constantFrom('a', 'é', ';', '"', '\r', '\n', ' ', '\uFEFF'), maxLength: 60 });
    fc.assert(
      fc.property(tricky, fc.array(fc.nat({ max: 60 }), { maxLength: 10 }), (text, cuts) => {
        expect(readInChunks(text, cuts)).toEqual(parseCsv(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatCsvRecord', () => {
  it('quotes only the fields that need it', () => {
    expect(formatCsvField('plain text')).toBe('plain text');
    expect(formatCsvField('a;b')).toBe('"a;b"');
    expect(formatCsvField('Résidence "Les Pins"')).toBe('"Résidence ""Les Pins"""');
    expect(formatCsvField('two\nlines')).toBe('"two\nlines"');
    expect(formatCsvField('cr\r')).toBe('"cr\r"');
    expect(formatCsvRecord(['a', '', 'b;c'])).toBe('a;;"b;c"');
  });

  it('writes what parseCsv reads back', () => {
    const field = fc.string({ unit: fc.constantFrom('x', 'É', ';', '"', '\r', '\n', ' '), maxLength: 12 });
    // A record made of one empty field is an empty line, which readers skip: give records 2+ fields.
    const records = fc.array(fc.array(field, { minLength: 2, maxLength: 6 }), { maxLength: 6 });
    fc.assert(
      fc.property(records, fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        const text = rows.map(formatCsvRecord).join(eol);
        expect(fieldsOf(text)).toEqual(rows);
      }),
      { numRuns: 1000 },
    );
  });
});
