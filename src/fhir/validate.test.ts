import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError, type Issue } from '../errors.js';
import { assertValid, validationIssues, warmUpValidator } from './validate.js';

type Json = Record<string, unknown>;

beforeAll(() => warmUpValidator());

const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const obs = (more: Json = {}): Json => ({ resourceType: 'Observation', status: 'final', code: { text: 'Glycémie' }, ...more });
const patient = (more: Json = {}): Json => ({ resourceType: 'Patient', ...more });
const allergy = (more: Json = {}): Json => ({ resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/anna' }, ...more });

/** The expressions of the error issues, flattened. */
const expressions = (issues: Issue[]) => issues.flatMap((i) => i.expression ?? []);

/** Asserts the resource gives exactly one error, about the given element, and returns it. */
function onlyIssue(resource: unknown, expression: string): Issue {
  const issues = validationIssues(resource);
  expect(expressions(issues)).toEqual([expression]);
  expect(issues[0]!.severity).toBe('error');
  expect(issues[0]!.diagnostics).not.toBe('');
  return issues[0]!;
}

describe('validationIssues: valid resources', () => {
  it.each<[string, Json]>([
    ['a minimal Patient', patient()],
    ['a fuller Patient', patient({ id: 'anna', active: true, gender: 'female', birthDate: '1990-04-12', name: [{ family: 'Martin', given: ['Anna'] }] })],
    ['a minimal Observation', obs()],
    ['an Observation with a value and a date', obs({ subject: { reference: 'Patient/anna' }, effectiveDateTime: '2026-01-31T12:00:00+01:00', valueQuantity: { value: 1.02, unit: 'g/L' } })],
    ['an AllergyIntolerance', allergy({ clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'active' }] } })],
    ['a Condition', { resourceType: 'Condition', subject: { reference: 'Patient/anna' }, code: { text: 'Asthme' } }],
    ['an Organization', { resourceType: 'Organization', name: 'Cabinet' }],
    ['a Practitioner', { resourceType: 'Practitioner', name: [{ family: 'Durand' }] }],
    ['a Binary', { resourceType: 'Binary', contentType: 'text/plain', data: 'aGVsbG8=' }],
    ['a QuestionnaireResponse', { resourceType: 'QuestionnaireResponse', status: 'completed' }],
    ['a collection Bundle', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient({ id: 'anna' }) }] }],
  ])('accepts %s', (_, resource) => {
    expect(validationIssues(resource)).toEqual([]);
  });

  it('accepts an id of exactly 64 characters', () => {
    expect(validationIssues(patient({ id: 'a'.repeat(64) }))).toEqual([]);
  });

  it('accepts any id matching the FHIR id rule (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/), (id) => {
        expect(validationIssues(patient({ id }))).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('accepts a base64Binary with white space between groups, as R4 does', () => {
    expect(validationIssues({ resourceType: 'Binary', contentType: 'text/plain', data: 'aGVs bG8g d29y bGQ=' })).toEqual([]);
    expect(validationIssues({ resourceType: 'Binary', contentType: 'text/plain', data: 'aGVs\nbG8g\r\nd29y bGQ=' })).toEqual([]);
  });

  it('accepts a spaced base64Binary nested in an element or a Bundle entry', () => {
    const doc = { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'text/plain', data: 'aGVs bG8g' } }] };
    expect(validationIssues(doc)).toEqual([]);
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Binary', contentType: 'text/plain', data: 'aGVs bG8g' } }] };
    expect(validationIssues(bundle)).toEqual([]);
  });

  it('accepts a spaced base64Binary in a choice element (valueBase64Binary)', () => {
    expect(validationIssues(patient({ extension: [{ url: 'http://example.org/x', valueBase64Binary: 'aGVs bG8g' }] }))).toEqual([]);
  });

  it('accepts a coding from another system in a CodeableConcept with a required binding', () => {
    expect(validationIssues(allergy({ clinicalStatus: { coding: [{ system: 'http://example.org/local', code: 'nope' }] } }))).toEqual([]);
  });

  it('accepts a CodeableConcept with a required binding given as text only', () => {
    expect(validationIssues(allergy({ clinicalStatus: { text: 'active' } }))).toEqual([]);
  });

  it('accepts a coding with the bound system and a valid code next to one from another system', () => {
    const cc = { coding: [{ system: 'http://example.org/local', code: 'x' }, { system: ALLERGY_CLINICAL, code: 'resolved' }] };
    expect(validationIssues(allergy({ clinicalStatus: cc }))).toEqual([]);
  });

  it('accepts every code of a required value set', () => {
    for (const gender of ['male', 'female', 'other', 'unknown']) expect(validationIssues(patient({ gender }))).toEqual([]);
    for (const status of ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']) {
      expect(validationIssues(obs({ status }))).toEqual([]);
    }
  });
});

describe('validationIssues: structure errors', () => {
  it('reports an unknown element', () => {
    const issue = onlyIssue(patient({ foo: 1 }), 'Patient.foo');
    expect(issue.code).toBe('structure');
    expect(issue.diagnostics).toContain('foo');
  });

  it('reports an unknown element deep in the resource', () => {
    onlyIssue(patient({ name: [{ family: 'Martin', nickname: 'Nan' }] }), 'Patient.name[0].nickname');
  });

  it('reports an array where a single value is expected', () => {
    onlyIssue(patient({ gender: ['female'] }), 'Patient.gender');
  });

  it('reports a single value where an array is expected', () => {
    onlyIssue(patient({ name: { family: 'Martin' } }), 'Patient.name');
  });

  it('reports a missing required element', () => {
    onlyIssue({ resourceType: 'Observation', code: { text: 'x' } }, 'Observation.status');
    onlyIssue({ resourceType: 'Observation', status: 'final' }, 'Observation.code');
    onlyIssue({ resourceType: 'AllergyIntolerance', clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'active' }] } }, 'AllergyIntolerance.patient');
  });

  it.each([
    ['an impossible date', '2020-13-45'],
    ['a date in another format', '12/03/2020'],
    ['a date with a time', '2020-03-12T10:00:00Z'],
  ])('reports %s', (_, birthDate) => {
    onlyIssue(patient({ birthDate }), 'Patient.birthDate');
  });

  it('reports a dateTime without the T', () => {
    onlyIssue(obs({ effectiveDateTime: '2020-01-01 10:00' }), 'Observation.effective[x]');
  });

  it('reports an instant without a time', () => {
    onlyIssue(obs({ issued: '2020-01-01' }), 'Observation.issued');
  });

  it('reports a decimal written as a string', () => {
    onlyIssue(obs({ valueQuantity: { value: '1.5' } }), 'Observation.value[x].value');
  });

  it('reports a boolean written as a string', () => {
    onlyIssue(patient({ active: 'true' }), 'Patient.active');
  });

  it('reports a number where a string is expected', () => {
    onlyIssue(patient({ id: 5 }), 'Patient.id');
  });

  it('reports a null value', () => {
    onlyIssue(patient({ active: null }), 'Patient.active');
  });

  it('reports a base64Binary that is not base64', () => {
    onlyIssue({ resourceType: 'Binary', contentType: 'text/plain', data: 'not base64!' }, 'Binary.data');
    onlyIssue({ resourceType: 'Binary', contentType: 'text/plain', data: 'aGV' }, 'Binary.data');
  });
});

describe('validationIssues: empty arrays', () => {
  it('reports an empty array', () => {
    const issue = onlyIssue(patient({ name: [] }), 'Patient.name');
    expect(issue.code).toBe('structure');
  });

  it('reports an empty array nested in an element', () => {
    onlyIssue(patient({ name: [{ given: [] }] }), 'Patient.name[0].given');
  });
});

describe('validationIssues: id', () => {
  it('reports an id longer than 64 characters', () => {
    const issue = onlyIssue(patient({ id: 'a'.repeat(65) }), 'Patient.id');
    expect(issue.code).toBe('value');
  });

  it.each(['a_b', 'a b', 'é', 'a/b', ''])('reports the id %j', (id) => {
    expect(expressions(validationIssues(patient({ id })))).toContain('Patient.id');
  });

  it('reports an invalid id on a contained resource', () => {
    expect(expressions(validationIssues(obs({ contained: [{ resourceType: 'Patient', id: 'a_b' }] })))).toEqual(['Observation.contained[0].id']);
  });

  it('reports any id of more than 64 characters (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{65,100}$/), (id) => {
        expect(expressions(validationIssues(patient({ id })))).toEqual(['Patient.id']);
      }),
      { numRuns: 30 },
    );
  });
});

describe('validationIssues: required bindings', () => {
  it('reports a code outside the value set on Patient.gender', () => {
    const issue = onlyIssue(patient({ gender: 'bogus' }), 'Patient.gender');
    expect(issue.code).toBe('code-invalid');
    expect(issue.diagnostics).toContain('bogus');
    expect(issue.diagnostics).toContain('http://hl7.org/fhir/ValueSet/administrative-gender');
  });

  it('reports Observation.status finished, which is not an observation status', () => {
    const issue = onlyIssue(obs({ status: 'finished' }), 'Observation.status');
    expect(issue.code).toBe('code-invalid');
  });

  it('reports codes case-sensitively', () => {
    onlyIssue(patient({ gender: 'Female' }), 'Patient.gender');
  });

  it('reports a coding from the bound system with a wrong code, naming the coding', () => {
    const issue = onlyIssue(allergy({ clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'nope' }] } }), 'AllergyIntolerance.clinicalStatus.coding[0]');
    expect(issue.code).toBe('code-invalid');
    expect(issue.diagnostics).toContain(`${ALLERGY_CLINICAL}#nope`);
  });

  it('names the right coding when the wrong one is not first', () => {
    const cc = { coding: [{ system: 'http://example.org/local', code: 'x' }, { system: ALLERGY_CLINICAL, code: 'nope' }] };
    onlyIssue(allergy({ clinicalStatus: cc }), 'AllergyIntolerance.clinicalStatus.coding[1]');
  });

  it('reports a wrong code in a repeating element with its index', () => {
    onlyIssue(patient({ name: [{ use: 'official' }, { use: 'bogus' }] }), 'Patient.name[1].use');
  });

  it('reports a wrong code in a backbone element', () => {
    expect(expressions(validationIssues(patient({ contact: [{ gender: 'bogus', name: { family: 'X' } }] })))).toEqual(['Patient.contact[0].gender']);
  });

  it('reports a wrong code in a contained resource and in a Bundle entry', () => {
    onlyIssue(obs({ contained: [{ resourceType: 'Patient', id: 'p', gender: 'bogus' }] }), 'Observation.contained[0].gender');
    onlyIssue({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient({ gender: 'bogus' }) }] }, 'Bundle.entry[0].resource.gender');
  });

  it('reports a wrong Bundle.type', () => {
    onlyIssue({ resourceType: 'Bundle', type: 'pile' }, 'Bundle.type');
  });

  it('reports any gender outside the four codes (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,12}$/), (gender) => {
        fc.pre(!['male', 'female', 'other', 'unknown'].includes(gender));
        onlyIssue(patient({ gender }), 'Patient.gender');
      }),
      { numRuns: 50 },
    );
  });
});

describe('validationIssues: several errors', () => {
  it('reports every error at once', () => {
    const issues = validationIssues(patient({ gender: 'bogus', foo: 1, birthDate: 'x', name: [] }));
    expect(expressions(issues).sort()).toEqual(['Patient.birthDate', 'Patient.foo', 'Patient.gender', 'Patient.name']);
    expect(issues.every((i) => i.severity === 'error')).toBe(true);
  });
});

describe('validationIssues: what is not a resource', () => {
  it.each([
    ['a string', 'Patient'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an array', [patient()]],
  ])('refuses %s as body', (_, body) => {
    expect(validationIssues(body)).toEqual([{ severity: 'error', code: 'structure', diagnostics: 'The body is not a JSON object' }]);
  });

  it.each([
    ['no resourceType', {}],
    ['an empty resourceType', { resourceType: '' }],
    ['a resourceType that is not a string', { resourceType: 42 }],
  ])('refuses a body with %s', (_, body) => {
    expect(validationIssues(body)).toEqual([{ severity: 'error', code: 'required', diagnostics: 'resourceType is missing', expression: ['resourceType'] }]);
  });

  it('refuses an unknown resourceType', () => {
    const issues = validationIssues({ resourceType: 'Foo' });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.severity).toBe('error');
    expect(issues[0]!.diagnostics).toContain('Foo');
  });
});

describe('assertValid', () => {
  it('returns quietly for a valid resource', () => {
    expect(() => assertValid(obs())).not.toThrow();
  });

  it.each<[string, unknown]>([
    ['an unknown element', patient({ foo: 1 })],
    ['a wrong code', patient({ gender: 'bogus' })],
    ['several errors', patient({ gender: 'bogus', foo: 1, birthDate: 'x' })],
    ['a body that is not an object', 'x'],
    ['a missing resourceType', {}],
  ])('throws a 400 AppError carrying the same issues for %s', (_, resource) => {
    let thrown: unknown;
    try {
      assertValid(resource);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const err = thrown as AppError;
    expect(err.status).toBe(400);
    expect(err.issues).toEqual(validationIssues(resource));
    expect(err.message).toBe(err.issues[0]!.diagnostics);
  });
});
