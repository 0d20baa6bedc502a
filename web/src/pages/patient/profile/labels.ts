/** French wording of the profile's values: field labels, partial dates, durations. */
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListSection, PartialDate } from '../../../profile-types';

/** A field's label: the section's own wording when it has one ("Allergie"), else the common one ("Commentaire"). */
export function useFieldLabel(section: ListSection): (key: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (key: string) => t(`profile.sections.${section}.fields.${key}`, { defaultValue: t(`profile.fields.${key}`) }),
    [t, section],
  );
}

/** "2019", "mars 2019", "12 mars 2019". */
export function formatPartial(t: TFunction, d: PartialDate | undefined): string {
  if (!d) return '';
  const month = d.month ? t(`profile.partialDate.months.${d.month}`) : '';
  if (d.month && d.day) return `${d.day === 1 ? '1er' : d.day} ${month} ${d.year}`;
  if (d.month) return `${month} ${d.year}`;
  return String(d.year);
}

/** A civil date YYYY-MM-DD as "12 mars 2019". */
export function formatIsoDay(t: TFunction, iso: string | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return formatPartial(t, { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
}
