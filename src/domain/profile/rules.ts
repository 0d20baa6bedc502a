import { AppError, type Issue } from '../../errors.js';
import { isOfAge } from '../ins/age.js';
import { measureProblems } from '../measures/validate.js';
import { cip13Problem } from '../reference/cip.js';
import { CIP13_SYSTEM, PROFILE_CATEGORY_SYSTEM } from './systems.js';

type Json = Record<string, unknown>;

/** One thing wrong with a resource of the medical profile, naming its field (FHIRPath on /fhir). */
export interface RuleProblem {
  /** The FHIRPath of the element, e.g. "Observation.valueQuantity.value". */
  expression: string;
  message: string;
  /** The application code (problem+json), e.g. "measures.implausible". */
  code: string;
}

/**
 * The rules of the medical profile that hold for a single resource, whoever writes it (the web app's API,
 * a connected app through /fhir, an import): the repository checks them on every create and update, so that
 * both paths refuse the same things (issue 8). Pure.
 */
export function profileProblems(resource: Json, now: Date): RuleProblem[] {
  switch (resource.resourceType) {
    case 'Observation':
      return measureProblems(resource, now);
    case 'MedicationStatement':
      return cipProblems(resource);
    default:
      return [];
  }
}

function cipProblems(resource: Json): RuleProblem[] {
  const codings = ((resource.medicationCodeableConcept as Json | undefined)?.coding ?? []) as Json[];
  return codings.flatMap((c, i) => {
    if (c.system !== CIP13_SYSTEM || typeof c.code !== 'string') return [];
    const problem = cip13Problem(c.code);
    if (!problem) return [];
    return [
      {
        expression: `MedicationStatement.medicationCodeableConcept.coding[${i}].code`,
        message: problem === 'check-digit' ? `The CIP13 code ${c.code} has a wrong check digit` : `${c.code} is not a CIP13 code (13 digits starting with 34009)`,
        code: 'treatments.cip-invalid',
      },
    ];
  });
}

/** Throws a 422 naming every field at fault, or returns. */
export function assertProfileRules(resource: Json, now: Date): void {
  const problems = profileProblems(resource, now);
  if (problems.length === 0) return;
  const [first, ...rest] = problems;
  const issue = (p: RuleProblem): Issue => ({ severity: 'error', code: 'business-rule', diagnostics: p.message, expression: [p.expression] });
  throw new AppError(422, 'business-rule', first!.message, [first!.expression], rest.map(issue)).withCode(first!.code);
}

/**
 * The resources a record holds at most one of (a blood group, the organ-donation wish, the personne de
 * confiance): the token that identifies them among the record's resources of the same type. The repository
 * refuses a second one with 409.
 */
export interface Singleton {
  token: string;
  message: string;
  expression: string;
  code: string;
}

const singletons: ((resource: Json) => Singleton | undefined)[] = [];

/** Registers a singleton rule (each section registers its own, see sections/). */
export function registerSingleton(rule: (resource: Json) => Singleton | undefined): void {
  singletons.push(rule);
}

export function singletonOf(resource: Json): Singleton | undefined {
  for (const rule of singletons) {
    const s = rule(resource);
    if (s) return s;
  }
  return undefined;
}

/** The search tokens of advance directives: the Consent of category advance-directive, the document EXPPAT_3. */
const DIRECTIVE_TOKENS: Readonly<Record<string, string>> = {
  Consent: `category=${PROFILE_CATEGORY_SYSTEM}|advance-directive`,
  DocumentReference: 'type=EXPPAT_3',
};

/** Whether a resource (given by its search tokens) is advance directives: their Consent or their document. */
export function isAdvanceDirective(resourceType: string, tokens: ReadonlySet<string>): boolean {
  const token = DIRECTIVE_TOKENS[resourceType];
  return token !== undefined && tokens.has(token);
}

/**
 * Advance directives are not available to minors (CSP L1111-11: "toute personne majeure"): whoever writes them
 * (the web app, a parent through /fhir), advance directives in the record of a patient under 18 on `now` are
 * refused (422 directives.minor). A record without a full birth date is not refused. Pure.
 */
export function assertNoDirectiveForMinor(patient: Json | undefined, now: Date): void {
  const birthDate = patient?.birthDate;
  if (typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return;
  let ofAge: boolean;
  try {
    ofAge = isOfAge(birthDate, now);
  } catch {
    return;
  }
  if (!ofAge) {
    throw new AppError(422, 'business-rule', 'birthDate: advance directives are not available to minors (this profile is a minor’s)', ['Patient.birthDate']).withCode('directives.minor');
  }
}
