import { DURATION_UNITS, type DurationUnit, type HospitalisationInput } from '../../../contract/profile.js';
import { TERMINOLOGY, UCUM } from '../systems.js';
import { Checker, compact, conceptText, EXT, extValue, extValues, formatPartialDate, idsOf, parsePartialDate, ref, sectionMeta, type Json } from './common.js';

/** UCUM codes of the durations (d, wk, mo, a). */
const UNIT_CODES: Record<DurationUnit, { code: string; unit: string }> = {
  DAY: { code: 'd', unit: 'jours' },
  WEEK: { code: 'wk', unit: 'semaines' },
  MONTH: { code: 'mo', unit: 'mois' },
  YEAR: { code: 'a', unit: 'ans' },
};

/**
 * Hospitalisations: an Encounter of class IMP (inpatient), period.start as a partial date, length as a
 * Duration; the name as the Encounter's type text; comment and documents (related-document) as extensions.
 */
export function parseHospitalisation(body: Json, now: Date): HospitalisationInput {
  const c = new Checker(body, now);
  let duration: HospitalisationInput['duration'];
  const d = body.duration;
  if (d !== undefined && d !== null) {
    const dd = d as Json;
    if (typeof d !== 'object' || typeof dd.value !== 'number' || !Number.isInteger(dd.value) || dd.value < 1 || dd.value > 999 || !(DURATION_UNITS as readonly unknown[]).includes(dd.unit)) {
      c.fail('duration', `duration is { value: 1..999, unit: ${DURATION_UNITS.join('|')} }`);
    } else duration = { value: dd.value, unit: dd.unit as DurationUnit };
  }
  const input: HospitalisationInput = compact({
    name: c.text('name', 200),
    start: c.partialDate('start', true)!,
    duration,
    comment: c.optText('comment', 2000),
    documentIds: c.ids('documentIds'),
  });
  c.done();
  if (input.documentIds?.length === 0) delete input.documentIds;
  return input;
}

export function hospitalisationToFhir(input: HospitalisationInput, patientId: string, extension: Json[]): Json {
  return compact({
    resourceType: 'Encounter',
    meta: sectionMeta('hospitalisations'),
    extension: [
      ...extension,
      ...(input.comment ? [{ url: EXT.comment, valueString: input.comment }] : []),
      ...(input.documentIds ?? []).map((id) => ({ url: EXT.relatedDocument, valueReference: ref('DocumentReference', id) })),
    ],
    status: 'finished',
    class: { system: TERMINOLOGY.actCode, code: 'IMP', display: 'inpatient encounter' },
    type: [{ text: input.name }],
    subject: ref('Patient', patientId),
    period: { start: formatPartialDate(input.start) },
    length: input.duration ? { value: input.duration.value, unit: UNIT_CODES[input.duration.unit].unit, system: UCUM, code: UNIT_CODES[input.duration.unit].code } : undefined,
  });
}

export function hospitalisationFromFhir(r: Json): HospitalisationInput {
  const length = r.length as Json | undefined;
  const unit = (Object.keys(UNIT_CODES) as DurationUnit[]).find((u) => UNIT_CODES[u].code === length?.code);
  const documentIds = idsOf(extValues(r, EXT.relatedDocument, 'valueReference'), 'DocumentReference');
  return compact({
    name: conceptText((r.type as Json[] | undefined)?.[0]) ?? conceptText((r.reasonCode as Json[] | undefined)?.[0]) ?? '',
    start: parsePartialDate((r.period as Json | undefined)?.start) ?? { year: 1900 },
    duration: unit && typeof length?.value === 'number' ? { value: length.value, unit } : undefined,
    comment: extValue<string>(r, EXT.comment, 'valueString'),
    documentIds: documentIds.length ? documentIds : undefined,
  });
}
