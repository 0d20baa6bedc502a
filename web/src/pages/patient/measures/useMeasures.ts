import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { apiGet } from '../../../api';
import { useActing } from '../../../acting';
import { formatNumber } from '../../../format';
import {
  MEASURE_CODES,
  type Dashboard,
  type EntrySource,
  type GrowthChart,
  type GrowthMeasure,
  type Measure,
  type MeasureCode,
  type MeasureDefinition,
  type MeasureSeries,
  type ProfileOverview,
} from '../../../profile-types';

/** Every query of the measures pages starts with this key, then the acting profile (refetched on a switch). */
export const MEASURES_KEY = 'measures';

export function useCatalogue() {
  return useQuery({
    queryKey: [MEASURES_KEY, 'catalogue'],
    queryFn: ({ signal }) => apiGet<{ measures: MeasureDefinition[] }>('/api/profile/measures/catalogue', signal),
    staleTime: 60 * 60_000,
  });
}

export function useDashboard() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [MEASURES_KEY, actingId, 'dashboard'],
    queryFn: ({ signal }) => apiGet<Dashboard>('/api/profile/measures/dashboard', signal),
  });
}

export function useSeries(code: MeasureCode | undefined, from: string | undefined) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [MEASURES_KEY, actingId, 'series', code, from ?? 'all'],
    queryFn: ({ signal }) =>
      apiGet<MeasureSeries>(`/api/profile/measures?${new URLSearchParams({ code: code!, ...(from ? { from } : {}) })}`, signal),
    enabled: Boolean(code),
    placeholderData: (previous) => (previous?.code === code ? previous : undefined),
  });
}

/** GET /api/profile: who the acting profile is (a minor gets the growth curves). */
export function useProfileOverview() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [MEASURES_KEY, actingId, 'overview'],
    queryFn: ({ signal }) => apiGet<ProfileOverview>('/api/profile', signal),
  });
}

export function useGrowth(measure: GrowthMeasure, source: string | undefined) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [MEASURES_KEY, actingId, 'growth', measure, source ?? ''],
    queryFn: ({ signal }) => apiGet<GrowthChart>(`/api/profile/growth?${new URLSearchParams({ measure, ...(source ? { source } : {}) })}`, signal),
    placeholderData: (previous) => (previous?.measure === measure ? previous : undefined),
  });
}

/** The code in a page address: /patient/mesures/weight. */
export const slugOf = (code: MeasureCode): string => code.toLowerCase().replaceAll('_', '-');
export function codeOfSlug(slug: string | undefined): MeasureCode | undefined {
  const code = (slug ?? '').toUpperCase().replaceAll('-', '_');
  return (MEASURE_CODES as readonly string[]).includes(code) ? (code as MeasureCode) : undefined;
}

/** A UCUM unit as shown: "mm[Hg]" → "mmHg", "/min" → "/min", "Cel" → "°C", "{steps}/d" → "pas/jour". */
export function unitLabel(t: TFunction, unit: string): string {
  const key = `measures.units.${unit}`;
  const label = t(key, { defaultValue: '' });
  return label || unit;
}

export function measureLabel(t: TFunction, code: MeasureCode, catalogue?: MeasureDefinition[]): string {
  const label = t(`measures.codes.${code}`, { defaultValue: '' });
  return label || catalogue?.find((m) => m.code === code)?.label || code;
}

/** The value of a measure with its unit: "72,5 kg", "12/8 cmHg" → "128/82 mmHg". */
export function formatMeasure(t: TFunction, m: Pick<Measure, 'value' | 'systolic' | 'diastolic' | 'unit'>, decimals = 2): string {
  const unit = unitLabel(t, m.unit);
  if (m.systolic !== undefined || m.diastolic !== undefined) {
    return `${formatNumber(m.systolic ?? NaN, decimals)}/${formatNumber(m.diastolic ?? NaN, decimals)} ${unit}`;
  }
  return `${formatNumber(m.value ?? NaN, decimals)} ${unit}`.trim();
}

/** "Saisie par vous", "Saisie par Camille Martin", "Transmise par l'application Withings", "Saisie par Dr …". */
export function sourceLabel(t: TFunction, source: EntrySource): string {
  if (source.kind === 'app') return t('measures.source.app', { name: source.name ?? t('measures.source.anApp') });
  if (source.kind === 'professional') return t('measures.source.professional', { name: source.name ?? '' });
  return source.name ? t('measures.source.patientNamed', { name: source.name }) : t('measures.source.patient');
}

/** "Objectif : entre 60 et 75 kg", "Objectif : au moins …", "au plus …". */
export function targetLabel(t: TFunction, target: { low?: number; high?: number } | null, unit: string): string | null {
  if (!target || (target.low === undefined && target.high === undefined)) return null;
  const u = unitLabel(t, unit);
  if (target.low !== undefined && target.high !== undefined) {
    return t('measures.target.between', { low: formatNumber(target.low, 2), high: formatNumber(target.high, 2), unit: u });
  }
  if (target.low !== undefined) return t('measures.target.atLeast', { low: formatNumber(target.low, 2), unit: u });
  return t('measures.target.atMost', { high: formatNumber(target.high!, 2), unit: u });
}
