import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReference } from './reference.js';

const BASE = 'https://carnet.example/fhir';
const arbType = fc.stringMatching(/^[A-Z][A-Za-z]{1,40}$/);
const arbId = fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/);

describe('parseReference: relative references', () => {
  it('reads Type/id', () => {
    expect(parseReference('Patient/123')).toEqual({ type: 'Patient', id: '123' });
  });

  it('leaves version out when there is none', () => {
    expect(parseReference('Patient/123')).not.toHaveProperty('version');
  });

  it('reads Type/id/_history/version', () => {
    expect(parseReference('Patient/123/_history/2')).toEqual({ type: 'Patient', id: '123', version: '2' });
  });

  it('accepts ids of letters, digits, dashes and dots, up to 64 characters', () => {
    expect(parseReference('Observation/a-B.9')).toEqual({ type: 'Observation', id: 'a-B.9' });
    expect(parseReference(`Patient/${'a'.repeat(64)}`)).toEqual({ type: 'Patient', id: 'a'.repeat(64) });
  });

  it('reads relative references the same whether a base is given or not', () => {
    expect(parseReference('Patient/123', BASE)).toEqual({ type: 'Patient', id: '123' });
  });

  it.each([
    ['an id too long', `Patient/${'a'.repeat(65)}`],
    ['an id with an underscore', 'Patient/a_b'],
    ['an id with a space', 'Patient/a b'],
    ['an empty id', 'Patient/'],
    ['a type alone', 'Patient'],
    ['a lower-case type', 'patient/1'],
    ['a one-letter type', 'P/1'],
    ['a type with a digit', 'Patient2/1'],
    ['a trailing slash', 'Patient/1/'],
    ['an empty version', 'Patient/1/_history/'],
    ['a bad version', 'Patient/1/_history/a_b'],
    ['a query', 'Patient?identifier=x|1'],
    ['a conditional reference', 'Patient/1?x=y'],
    ['leading white space', ' Patient/1'],
    ['trailing white space', 'Patient/1 '],
    ['a leading slash', '/Patient/1'],
    ['extra segments', 'Patient/1/Observation/2'],
    ['an empty string', ''],
  ])('refuses %s', (_, reference) => {
    expect(parseReference(reference)).toBeUndefined();
  });

  it('reads any well-formed type and id, with or without a version (property)', () => {
    fc.assert(
      fc.property(arbType, arbId, fc.option(arbId, { nil: undefined }), (type, id, version) => {
        const reference = `${type}/${id}${version ? `/_history/${version}` : ''}`;
        expect(parseReference(reference)).toEqual({ type, id, ...(version ? { version } : {}) });
      }),
    );
  });
});

describe('parseReference: absolute references', () => {
  it('reads a URL on this server’s FHIR base', () => {
    expect(parseReference(`${BASE}/Patient/123`, BASE)).toEqual({ type: 'Patient', id: '123' });
    expect(parseReference(`${BASE}/Patient/123/_history/4`, BASE)).toEqual({ type: 'Patient', id: '123', version: '4' });
  });

  it('reads http as well as https bases', () => {
    expect(parseReference('http://localhost:3000/fhir/Patient/1', 'http://localhost:3000/fhir')).toEqual({ type: 'Patient', id: '1' });
  });

  it('ignores a URL when no base is known', () => {
    expect(parseReference(`${BASE}/Patient/123`)).toBeUndefined();
  });

  it.each([
    ['another host', 'https://other.example/fhir/Patient/123'],
    ['another scheme', 'http://carnet.example/fhir/Patient/123'],
    ['a longer base path', 'https://carnet.example/fhir2/Patient/123'],
    ['a shorter base path', 'https://carnet.example/Patient/123'],
    ['the base alone', 'https://carnet.example/fhir'],
    ['the base with a slash', 'https://carnet.example/fhir/'],
    ['a bad id on this base', 'https://carnet.example/fhir/Patient/a_b'],
  ])('ignores a URL on %s', (_, reference) => {
    expect(parseReference(reference, BASE)).toBeUndefined();
  });

  it('reads the same on the base as relative (property)', () => {
    fc.assert(
      fc.property(arbType, arbId, (type, id) => {
        expect(parseReference(`${BASE}/${type}/${id}`, BASE)).toEqual(parseReference(`${type}/${id}`));
      }),
    );
  });

  it('ignores any URL on another server (property)', () => {
    fc.assert(
      fc.property(fc.webUrl(), arbType, arbId, (server, type, id) => {
        fc.pre(!`${server}/`.startsWith(`${BASE}/`));
        expect(parseReference(`${server}/${type}/${id}`, BASE)).toBeUndefined();
      }),
    );
  });
});

describe('parseReference: what is not a local resource', () => {
  it.each(['#p', '#', 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'urn:oid:1.2.250.1.71', 'mailto:a@b.c'])('ignores %s', (reference) => {
    expect(parseReference(reference, BASE)).toBeUndefined();
  });

  it.each([undefined, null, 42, true, {}, ['Patient/1'], { reference: 'Patient/1' }])('ignores the non-string %j', (reference) => {
    expect(parseReference(reference, BASE)).toBeUndefined();
  });

  it('ignores any contained or urn reference (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('#', 'urn:uuid:', 'urn:oid:'), fc.string(), (prefix, rest) => {
        expect(parseReference(`${prefix}${rest}`, BASE)).toBeUndefined();
      }),
    );
  });
});
