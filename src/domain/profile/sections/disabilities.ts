import { DISABILITY_RATES, DISABILITY_TYPES, HUMAN_HELP, type DisabilityInput } from '../../../contract/profile.js';
import { TERMINOLOGY } from '../systems.js';
import { Checker, compact, conceptText, CS, EXT, extValue, noteText, ref, sectionCoding, sectionMeta, type Json } from './common.js';

/**
 * Handicaps: a Condition of category `disabilities` plus the disability types (Carnet's code system
 * disability-type); the rate, the technical and the human help as extensions.
 */
export function parseDisability(body: Json, now: Date): DisabilityInput {
  const c = new Checker(body, now);
  const t = body.types;
  let types: DisabilityInput['types'] = [];
  if (!Array.isArray(t) || t.length === 0 || t.length > DISABILITY_TYPES.length || !t.every((x) => (DISABILITY_TYPES as readonly unknown[]).includes(x))) {
    c.fail('types', `types is a non-empty list of ${DISABILITY_TYPES.join(', ')}`);
  } else types = [...new Set(t as DisabilityInput['types'])];
  const input: DisabilityInput = compact({
    name: c.text('name', 200),
    types,
    rate: c.oneOf('rate', DISABILITY_RATES)!,
    technicalHelp: c.optText('technicalHelp', 500),
    humanHelp: c.oneOf('humanHelp', HUMAN_HELP)!,
    comment: c.optText('comment', 2000),
  });
  c.done();
  return input;
}

export function disabilityToFhir(input: DisabilityInput, patientId: string, extension: Json[]): Json {
  return compact({
    resourceType: 'Condition',
    meta: sectionMeta('disabilities'),
    extension: [
      ...extension,
      { url: EXT.disabilityRate, valueCode: input.rate },
      ...(input.technicalHelp ? [{ url: EXT.technicalHelp, valueString: input.technicalHelp }] : []),
      { url: EXT.humanHelp, valueCode: input.humanHelp },
    ],
    clinicalStatus: { coding: [{ system: TERMINOLOGY.conditionClinical, code: 'active' }] },
    category: [{ coding: [sectionCoding('disabilities')] }, ...input.types.map((code) => ({ coding: [{ system: CS.disabilityType, code }] }))],
    code: { text: input.name },
    subject: ref('Patient', patientId),
    note: input.comment ? [{ text: input.comment }] : undefined,
  });
}

export function disabilityFromFhir(r: Json): DisabilityInput {
  const types = ((r.category ?? []) as Json[])
    .flatMap((c) => (c.coding ?? []) as Json[])
    .filter((x) => x.system === CS.disabilityType && (DISABILITY_TYPES as readonly unknown[]).includes(x.code))
    .map((x) => x.code as DisabilityInput['types'][number]);
  const rate = extValue<string>(r, EXT.disabilityRate, 'valueCode');
  const human = extValue<string>(r, EXT.humanHelp, 'valueCode');
  return compact({
    name: conceptText(r.code) ?? '',
    types: types.length ? types : (['OTHERS'] as DisabilityInput['types']),
    rate: (DISABILITY_RATES as readonly (string | undefined)[]).includes(rate) ? (rate as DisabilityInput['rate']) : 'UNKNOWN',
    technicalHelp: extValue<string>(r, EXT.technicalHelp, 'valueString'),
    humanHelp: (HUMAN_HELP as readonly (string | undefined)[]).includes(human) ? (human as DisabilityInput['humanHelp']) : 'NONE',
    comment: noteText(r),
  });
}
