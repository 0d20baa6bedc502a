import type { GrowthCurve, GrowthMeasure } from '../types.js';
import { valueAtZ, zOfCentile, zOfValue, lmsAt, type Lms, type LmsRow } from './lms.js';

/**
 * The growth references the charts are drawn against, behind one interface so that the source can be swapped
 * (docs/measures.md): the French AFPA–CRESS/Inserm 2018 curves are not public, so Carnet ships the WHO
 * standards (2006, 0–5 years) and references (2007, 5–19 years) and the IOTF BMI cut-offs (Cole & Lobstein
 * 2012). A source only needs to say which measures it covers and give its curves for a measure and a sex.
 */

export type Sex = 'male' | 'female';

/** A reference's curves for one measure and one sex, over the ages it covers. */
export interface ReferenceCurves {
  /** The unit of the values (UCUM): kg, cm, kg/m2. */
  unit: string;
  minAgeMonths: number;
  maxAgeMonths: number;
  /** The lines, each sampled over [from, to] months (see sampleAges). */
  lines(fromMonths: number, toMonths: number): GrowthCurve[];
  /** L, M and S at an age, when the reference is an LMS one (z-scores of the child's measures). */
  lms?(ageMonths: number): Lms | undefined;
}

export interface GrowthReference {
  id: string;
  /** Named on the chart. */
  name: string;
  citation: string;
  /** The measures it has curves for. */
  measures: readonly GrowthMeasure[];
  curves(measure: GrowthMeasure, sex: Sex): ReferenceCurves | undefined;
}

/** One line of an LMS reference: a constant z-score. */
export interface ZLine {
  key: string;
  label: string;
  emphasis: boolean;
  z: number;
}

export const UNITS: Record<GrowthMeasure, string> = { weight: 'kg', height: 'cm', 'head-circumference': 'cm', bmi: 'kg/m2' };

/** The ages a curve is drawn at: every month up to 3 years, every 3 months after (and both ends). */
export function sampleAges(from: number, to: number): number[] {
  const out: number[] = [];
  if (to < from) return out;
  let a = Math.ceil(from);
  if (a > from) out.push(from);
  while (a <= to + 1e-9) {
    out.push(a);
    a += a < 36 ? 1 : 3;
  }
  if (out[out.length - 1]! < to - 1e-9) out.push(to);
  return out;
}

/** Curves from an LMS table and constant z-score lines. */
export function lmsCurves(unit: string, rows: readonly LmsRow[], zLines: readonly ZLine[]): ReferenceCurves {
  const sorted = [...rows].sort((a, b) => a.ageMonths - b.ageMonths);
  const minAgeMonths = sorted[0]!.ageMonths;
  const maxAgeMonths = sorted[sorted.length - 1]!.ageMonths;
  return {
    unit,
    minAgeMonths,
    maxAgeMonths,
    lines(fromMonths, toMonths) {
      const ages = sampleAges(Math.max(fromMonths, minAgeMonths), Math.min(toMonths, maxAgeMonths));
      const at = ages.map((ageMonths) => ({ ageMonths, lms: lmsAt(sorted, ageMonths)! }));
      return zLines.map((l) => ({
        key: l.key,
        label: l.label,
        emphasis: l.emphasis,
        points: at
          .map(({ ageMonths, lms }) => ({ ageMonths: Math.round(ageMonths * 100) / 100, value: Math.round(valueAtZ(lms, l.z) * 100) / 100 }))
          .filter((p) => Number.isFinite(p.value)),
      }));
    },
    lms: (ageMonths) => lmsAt(sorted, ageMonths),
  };
}

// ---- CSV tables -------------------------------------------------------------------------------------------

/** Parses a CSV LMS table whose header names the age column (Month, Day, Year or age_years) and L, M, S. */
export function parseLmsCsv(text: string, columns: { L: string; M: string; S: string } = { L: 'L', M: 'M', S: 'S' }): LmsRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new Error('an LMS table needs a header and at least one row');
  const sep = lines[0]!.includes(';') ? ';' : lines[0]!.includes('\t') ? '\t' : ',';
  const header = lines[0]!.split(sep).map((h) => h.trim().replace(/^"|"$/g, ''));
  const find = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const ageIndex = header.findIndex((h) => /^(month|months|age_?months|day|days|age_?days|year|years|age_?years|age)$/i.test(h));
  if (ageIndex < 0) throw new Error(`no age column (Month, Day or Year) in the header: ${header.join(',')}`);
  const ageName = header[ageIndex]!.toLowerCase();
  const perUnit = /day/.test(ageName) ? 1 / 30.4375 : /year/.test(ageName) ? 12 : 1;
  const [iL, iM, iS] = [find(columns.L), find(columns.M), find(columns.S)];
  if (iL < 0 || iM < 0 || iS < 0) throw new Error(`no ${columns.L}, ${columns.M}, ${columns.S} columns in the header: ${header.join(',')}`);
  return lines.slice(1).map((line, n) => {
    const cells = line.split(sep).map((c) => Number(c.trim().replace(/^"|"$/g, '').replace(',', '.')));
    const row = { ageMonths: cells[ageIndex]! * perUnit, L: cells[iL]!, M: cells[iM]!, S: cells[iS]! };
    if (![row.ageMonths, row.L, row.M, row.S].every(Number.isFinite) || row.M <= 0 || row.S <= 0) throw new Error(`line ${n + 2} is not a row of numbers: ${line}`);
    return row;
  });
}

/** Rows of several tables of one measure (e.g. 0–5 and 5–19 years) as one table; the first table wins where they overlap. */
export function mergeTables(tables: readonly LmsRow[][]): LmsRow[] {
  const out: LmsRow[] = [];
  const seen = new Set<number>();
  for (const t of tables) {
    for (const r of t) {
      const key = Math.round(r.ageMonths * 1000);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out.sort((a, b) => a.ageMonths - b.ageMonths);
}

// ---- WHO ---------------------------------------------------------------------------------------------------

const CENTILES = [1, 3, 10, 25, 50, 75, 90, 97, 99];
const WEIGHT_LINES: ZLine[] = CENTILES.map((c) => ({
  key: `C${c}`,
  label: c === 50 ? 'Médiane (C50)' : `${c}e centile (C${c})`,
  emphasis: c === 3 || c === 50 || c === 97,
  z: c === 50 ? 0 : zOfCentile(c),
}));
const SD_LINES: ZLine[] = [-3, -2, -1, 0, 1, 2, 3].map((z) => ({
  key: z === 0 ? 'SD0' : `SD${z > 0 ? '+' : ''}${z}`,
  label: z === 0 ? 'Médiane' : `${z > 0 ? '+' : '−'}${Math.abs(z)} DS`,
  emphasis: z === 0 || Math.abs(z) === 2,
  z,
}));

export const WHO_ID = 'who';
export const WHO_NAME = 'OMS 2006/2007';
export const WHO_CITATION =
  'WHO Child Growth Standards (2006, 0–5 years) and WHO Growth Reference (2007, 5–19 years), World Health Organization, Geneva. https://www.who.int/tools/child-growth-standards';

/** The WHO reference from its LMS tables by measure and sex (the tables present decide the measures it covers). */
export function whoReference(tables: Partial<Record<GrowthMeasure, Partial<Record<Sex, LmsRow[]>>>>): GrowthReference {
  const measures = (Object.keys(UNITS) as GrowthMeasure[]).filter((m) => tables[m]?.male?.length && tables[m]?.female?.length);
  return {
    id: WHO_ID,
    name: WHO_NAME,
    citation: WHO_CITATION,
    measures,
    curves(measure, sex) {
      const rows = tables[measure]?.[sex];
      if (!rows?.length) return undefined;
      return lmsCurves(UNITS[measure], rows, measure === 'weight' ? WEIGHT_LINES : SD_LINES);
    },
  };
}

/** What a WHO file name says it holds (wfa_boys_0-to-5..., lhfa-girls..., hcfa, bfa), or undefined. */
export function whoFileOf(name: string): { measure: GrowthMeasure; sex: Sex } | undefined {
  const n = name.toLowerCase();
  const sex: Sex | undefined = /girl|female|fille|(^|[^a-z])f([^a-z]|$)/.test(n) ? 'female' : /boy|male|garcon|garçon|(^|[^a-z])m([^a-z]|$)/.test(n) ? 'male' : undefined;
  if (!sex) return undefined;
  // weight-for-length and weight-for-height are not by age
  if (/wfl|wfh|weight.?for.?(length|height)/.test(n)) return undefined;
  const measure: GrowthMeasure | undefined = /hcfa|head|crani/.test(n)
    ? 'head-circumference'
    : /bfa|bmi|imc/.test(n)
      ? 'bmi'
      : /wfa|weight|poids/.test(n)
        ? 'weight'
        : /lhfa|hfa|lfa|height|length|taille/.test(n)
          ? 'height'
          : undefined;
  return measure ? { measure, sex } : undefined;
}

// ---- IOTF --------------------------------------------------------------------------------------------------

export const IOTF_ID = 'iotf';
export const IOTF_NAME = 'IOTF (Cole et Lobstein 2012)';
export const IOTF_CITATION =
  'Cole TJ, Lobstein T. Extended international (IOTF) body mass index cut-offs for thinness, overweight and obesity. Pediatr Obes 2012;7:284-94.';

/** The IOTF cut-offs: the curves through these adult BMIs at 18 years. */
export const IOTF_CUTOFFS: { bmi: number; label: string; emphasis: boolean }[] = [
  { bmi: 16, label: 'IOTF 16 (minceur grade 3)', emphasis: false },
  { bmi: 17, label: 'IOTF 17 (minceur grade 2)', emphasis: true },
  { bmi: 18.5, label: 'IOTF 18,5 (minceur grade 1)', emphasis: false },
  { bmi: 25, label: 'IOTF 25 (surpoids)', emphasis: true },
  { bmi: 30, label: 'IOTF 30 (obésité)', emphasis: true },
  { bmi: 35, label: 'IOTF 35 (obésité sévère)', emphasis: false },
];

/** The IOTF table as shipped: age_years, then L, M, S for boys and for girls. */
export function parseIotfCsv(text: string): Record<Sex, LmsRow[]> {
  return {
    male: parseLmsCsv(text, { L: 'L_boys', M: 'M_boys', S: 'S_boys' }),
    female: parseLmsCsv(text, { L: 'L_girls', M: 'M_girls', S: 'S_girls' }),
  };
}

/** The z-score of the curve through an adult BMI at 18 years (the table's last row). */
export function iotfZ(rows: readonly LmsRow[], adultBmi: number): number {
  const at18 = lmsAt(rows, 216);
  if (!at18) throw new Error('the IOTF table must reach 18 years');
  return zOfValue(at18, adultBmi);
}

export function iotfReference(tables: Record<Sex, LmsRow[]>): GrowthReference {
  return {
    id: IOTF_ID,
    name: IOTF_NAME,
    citation: IOTF_CITATION,
    measures: ['bmi'],
    curves(measure, sex) {
      if (measure !== 'bmi') return undefined;
      const rows = tables[sex];
      return lmsCurves(
        UNITS.bmi,
        rows,
        IOTF_CUTOFFS.map((c) => ({ key: `IOTF-${c.bmi}`, label: c.label, emphasis: c.emphasis, z: iotfZ(rows, c.bmi) })),
      );
    },
  };
}
