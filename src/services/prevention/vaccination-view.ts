import type { PreventionItem, VaccinationCalendarRow, VaccinationCalendarView } from '../../contract/prevention.js';
import { addOffset, computePrevention, scheduleApplies, vaccinationMatches } from '../../domain/prevention/index.js';
import type { VaccineScheduleDef } from '../../domain/prevention/types.js';
import type { RequestContext } from '../../repo/index.js';
import { assertActsFor } from '../profile/sections.js';
import type { PreventionDeps } from './deps.js';
import { calendarsOf, NO_HORIZON_MONTHS, today } from './items.js';
import { readPreventionInput, type RecordedVaccinationView } from './profile-input.js';

/**
 * GET /api/prevention/vaccinations (docs/prevention.md, "API"): the whole vaccination calendar set against the
 * record, whatever the age: each schedule that applies to the profile with its doses (status, and the recorded
 * vaccination that counts for each), and the recorded vaccinations that count for no dose (travel vaccines,
 * extra doses). A past season's influenza or Covid-19 vaccination counted for its season: it is not listed as
 * counting for nothing, although only the current season is a row.
 */

/** The view of the vaccination items (computed without the horizon) against the recorded vaccinations. */
export function vaccinationCalendarOf(
  schedules: VaccineScheduleDef[],
  person: { birthDate: string; sex: 'M' | 'F' | 'I' },
  items: PreventionItem[],
  recorded: RecordedVaccinationView[],
): Pick<VaccinationCalendarView, 'rows' | 'unmatched'> {
  const byId = new Map(schedules.map((s) => [s.id, s]));
  const counted = new Set<string>();
  const rows = new Map<string, VaccinationCalendarRow>();
  for (const item of items.filter((i) => i.type === 'vaccination')) {
    const s = byId.get(item.ref);
    let row = rows.get(item.ref);
    if (!row) {
      row = { ref: item.ref, title: s?.title ?? item.title, level: item.level, diseases: s?.diseases ?? item.diseases ?? [], doses: [] };
      rows.set(item.ref, row);
    }
    if (item.immunizationId) counted.add(item.immunizationId);
    if (item.level === 'mandatory') row.level = 'mandatory';
    row.doses.push({
      code: item.code,
      label: item.doseLabel ?? item.title,
      window: item.window,
      status: item.status,
      ...(item.doneOn ? { doneOn: item.doneOn } : {}),
      ...(item.immunizationId ? { immunizationId: item.immunizationId } : {}),
      level: item.level,
    });
  }
  // a dose's level is given only where it differs from its row's
  for (const row of rows.values()) for (const d of row.doses) if (d.level === row.level) delete d.level;
  // a past season's vaccination counted for its season
  const seasonal = schedules.filter((s) => s.seasonal && scheduleApplies(s, person.birthDate, person.sex));
  const ofPastSeason = (v: RecordedVaccinationView) => seasonal.some((s) => vaccinationMatches(s, v) && v.date >= addOffset(person.birthDate, s.seasonal!.fromAge));
  const unmatched = recorded
    .filter((v) => !counted.has(v.id) && !ofPastSeason(v))
    .map((v) => ({ immunizationId: v.id, label: v.label, date: v.date }));
  return { rows: [...rows.values()], unmatched };
}

/** GET /api/prevention/vaccinations */
export async function vaccinationCalendarView(deps: PreventionDeps, ctx: RequestContext, patientId: string): Promise<VaccinationCalendarView> {
  assertActsFor(ctx, patientId);
  const cals = calendarsOf(deps);
  const asOf = today(deps);
  const input = await deps.repo.run(ctx, (ops) => readPreventionInput(ops, deps.fhirBase, patientId), { readOnly: true });
  const items = computePrevention(input.profile, cals, asOf, { horizonMonths: NO_HORIZON_MONTHS });
  const { id, title, version, source } = cals.vaccination;
  return { asOf, calendar: { id, title, version, source }, ...vaccinationCalendarOf(cals.vaccination.schedules, input.profile, items, input.profile.vaccinations) };
}
