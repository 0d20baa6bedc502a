import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mimeProblem } from './mime.js';

const ok = (headers: string, body = 'Bonjour') => Buffer.from(`${headers}\r\n\r\n${body}`);

describe('mimeProblem', () => {
  it('accepts a plain message and a well-formed multipart one', () => {
    expect(mimeProblem(ok('From: a@b.fr\r\nTo: c@d.fr\r\nSubject: x'))).toBeUndefined();
    const multipart = ok(
      'From: a@b.fr\r\nContent-Type: multipart/mixed;\r\n boundary="XyZ"',
      '--XyZ\r\nContent-Type: text/plain\r\n\r\nBonjour\r\n--XyZ\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--XyZ--\r\n',
    );
    expect(mimeProblem(multipart)).toBeUndefined();
  });

  it('names each break', () => {
    expect(mimeProblem(Buffer.from('no headers at all'))).toMatch(/no header section/);
    expect(mimeProblem(ok('Subject: x'))).toMatch(/no From/);
    expect(mimeProblem(ok('From: a@b.fr\r\nnot a header line'))).toMatch(/no header section/);
    expect(mimeProblem(ok('From: a@b.fr\r\nContent-Transfer-Encoding: x-uuencode'))).toMatch(/Content-Transfer-Encoding/);
    expect(mimeProblem(ok('From: a@b.fr\r\nContent-Type: multipart/mixed'))).toMatch(/without a valid boundary/);
    expect(mimeProblem(ok('From: a@b.fr\r\nContent-Type: multipart/mixed; boundary=abc', 'no parts'))).toMatch(/never appears/);
    expect(mimeProblem(ok('From: a@b.fr\r\nContent-Type: multipart/mixed; boundary=abc', '--abc\r\n\r\ntext'))).toMatch(/never closed/);
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const r = mimeProblem(Buffer.from(bytes));
        expect(r === undefined || typeof r === 'string').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
