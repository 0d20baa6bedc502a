import { SYSTEM, type Principal } from '../../domain/access/index.js';
import { valueAtZ } from '../../domain/measures/growth/lms.js';
import { checkMeasureInput } from '../../domain/measures/validate.js';
import type { GrowthMeasure } from '../../domain/measures/types.js';
import { loadPrincipal, makeContext } from '../../repo/index.js';
import { measureObservation } from '../measures/fhir.js';
import { measureSeries, putTarget, recordMeasure } from '../measures/measures.js';
import { growthReferences } from '../measures/references.js';
import type { ProfileDeps } from '../profile/deps.js';
import { patientId, PATIENTS, userId } from './world.js';

const DAY = 86_400_000;

/** A small deterministic generator (the demo is the same on every install). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The visits of a child's carnet de santé where the weight, height (and head circumference) are measured:
 * the 20 mandatory examinations (8 days, then 1, 2, 3, 4, 5, 6, 9, 12, 13, 16, 24 months, then yearly).
 */
const VISIT_MONTHS = [0.25, 1, 2, 3, 4, 5, 6, 9, 12, 13, 16, 24, 36, 48, 60, 72, 84, 96, 108, 120, 132, 144, 156, 168, 180, 192];

/**
 * The demo patients' measures (issue 8, docs/measures.md): Camille Martin has a year of weights, blood pressures,
 * glucose and heart rates with her targets; her children Jade (born 2021) and Léo (born 2018) have their growth
 * measures from birth, on plausible WHO centiles. Written through the measures service as Camille, for herself
 * and as the parent acting for each child, so that they are checked, audited and sourced like any other; and one
 * weight of Camille's from her connected scale, written as a partner app writes it (shown as the app's).
 */
export async function seedDemoMeasures(deps: ProfileDeps, now: Date): Promise<void> {
  const camille = await loadPrincipal(deps.db, userId('camille.martin'), now);
  if (!camille) return;
  const self = { ...camille, represents: camille.represents.filter((r) => r.relation === 'self') };
  await seedAdult(deps, self, now);
  for (const key of ['jade.martin', 'leo.martin']) {
    const link = camille.represents.find((r) => r.patientId === patientId(key));
    if (link) await seedChild(deps, { ...camille, represents: [link] }, key, now);
  }
}

async function seedAdult(deps: ProfileDeps, principal: Principal, now: Date): Promise<void> {
  const pid = patientId('camille.martin');
  const ctx = makeContext(principal, { now: () => now });
  const author = { patientId: pid, relation: 'self', name: principal.displayName };
  const record = (body: Record<string, unknown>) => recordMeasure(deps, ctx, author, body);
  const rnd = noise(1988);
  const start = now.getTime() - 364 * DAY;
  // her height (170 cm) is in the record already, from her médecin traitant's consultations (Synthea)
  if (!(await hasHeight(deps, ctx, pid))) await record({ code: 'HEIGHT', value: 170, unit: 'cm', date: dayOf(start - DAY) });
  for (let week = 0; week < 52; week++) {
    const at = start + week * 7 * DAY;
    // a slow loss from 85.5 to 78 kg (her médecin traitant weighed 85 kg in January), with the usual ups and downs
    await record({ code: 'WEIGHT', value: Math.round((85.5 - (7.5 * week) / 51 + rnd() * 1.2) * 10) / 10, unit: 'kg', date: dayOf(at) });
    if (week % 2 === 0) {
      await record({ code: 'BLOOD_PRESSURE', systolic: Math.round(127 - week / 10 + rnd() * 10), diastolic: Math.round(81 + rnd() * 8), unit: 'mm[Hg]', date: `${dayOf(at + DAY)}T08:15:00+01:00` });
      await record({ code: 'GLUCOSE', value: Math.round((0.95 + rnd() * 0.16) * 100) / 100, unit: 'g/L', date: dayOf(at + 2 * DAY) });
    }
    if (week % 4 === 0) await record({ code: 'HEART_RATE', value: Math.round(68 + rnd() * 10), unit: '/min', date: dayOf(at + DAY) });
  }
  // yesterday's weight came from her connected scale: an app's measure (meta.source, the device), as a partner
  // app writes it through /fhir
  const scale = measureObservation(checkMeasureInput({ code: 'WEIGHT', value: 77.8, unit: 'kg', date: dayOf(now.getTime() - DAY) }, now), author);
  delete scale.performer;
  await deps.repo.run(makeContext(SYSTEM, { now: () => now }), (ops) =>
    ops.create({ ...scale, meta: { ...(scale.meta as Record<string, unknown>), source: 'urn:carnet:demo:withings-health-mate' }, device: { display: 'Balance connectée Withings' } }),
  );
  await putTarget(deps, ctx, pid, 'WEIGHT', { low: 60, high: 75 });
  await putTarget(deps, ctx, pid, 'BLOOD_PRESSURE', { high: 135 });
  await putTarget(deps, ctx, pid, 'GLUCOSE', { low: 0.7, high: 1.1 });
}

async function hasHeight(deps: ProfileDeps, ctx: ReturnType<typeof makeContext>, pid: string): Promise<boolean> {
  const series = await measureSeries(deps, ctx, pid, { code: 'HEIGHT' });
  return series.measures.length > 0;
}

/** Where each child sits on the WHO curves (z-scores), and what is measured. */
const CHILDREN: Record<string, { z: Partial<Record<GrowthMeasure, number>> }> = {
  'jade.martin': { z: { weight: 0.4, height: 0.6, 'head-circumference': 0.3 } },
  'leo.martin': { z: { weight: -0.3, height: 0.5 } },
};
const CODES: Record<string, string> = { weight: 'WEIGHT', height: 'HEIGHT', 'head-circumference': 'HEAD_CIRCUMFERENCE' };

async function seedChild(deps: ProfileDeps, principal: Principal, key: string, now: Date): Promise<void> {
  const child = PATIENTS.find((p) => p.key === key)!;
  const plan = CHILDREN[key]!;
  const who = growthReferences().find((r) => r.id === 'who');
  if (!who) return;
  const pid = patientId(key);
  const ctx = makeContext(principal, { now: () => now });
  const author = { patientId: pid, relation: principal.represents[0]!.relation, name: principal.displayName };
  const birth = Date.parse(child.birthDate);
  const rnd = noise(birth / DAY);
  for (const months of VISIT_MONTHS) {
    const at = birth + Math.round(months * 30.4375) * DAY;
    if (at > now.getTime() - DAY) break;
    for (const [measure, z] of Object.entries(plan.z) as [GrowthMeasure, number][]) {
      // the head circumference is followed in the first years
      if (measure === 'head-circumference' && months > 36) continue;
      const lms = who.curves(measure, child.gender)?.lms?.(months);
      if (!lms) continue;
      const value = valueAtZ(lms, z + rnd() * 0.3);
      await recordMeasure(deps, ctx, author, { code: CODES[measure], value: Math.round(value * (measure === 'weight' ? 100 : 10)) / (measure === 'weight' ? 100 : 10), unit: measure === 'weight' ? 'kg' : 'cm', date: dayOf(at) });
    }
  }
}
