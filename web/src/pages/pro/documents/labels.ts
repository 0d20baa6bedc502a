import type { TFunction } from 'i18next';
import type { DocumentView } from './types';

/** "Résultats de biologie" for BIOLOGIE. */
export const categoryLabel = (t: TFunction, category: string): string =>
  t(`dmpPro.categories.${category}`, { defaultValue: category });

/** A document's status in words: archived, replaced, or current. */
export function statusLabel(t: TFunction, d: DocumentView): string {
  if (d.archived) return t('dmpPro.list.statuses.archived');
  if (d.status === 'superseded') return t('dmpPro.list.statuses.superseded');
  if (d.status === 'entered-in-error') return t('dmpPro.list.statuses.enteredInError');
  return t('dmpPro.list.statuses.current');
}

/** Whether the signed-in professional deposited this document. */
export const isOwnDocument = (d: DocumentView, practitionerId: string | undefined): boolean =>
  Boolean(practitionerId) && d.depositorIds.includes(`Practitioner/${practitionerId}`);

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
  'text/plain': 'txt',
  'application/rtf': 'rtf',
  'text/rtf': 'rtf',
};

/** A file name for saving a document: its title, made safe, with the extension of its type. */
export function fileNameOf(d: Pick<DocumentView, 'title' | 'contentType'>): string {
  const stem = d.title.replace(/[\\/:*?"<>|]+/g, ' ').trim().slice(0, 100) || 'document';
  const ext = EXTENSIONS[d.contentType.split(';')[0]!.trim().toLowerCase()];
  return ext ? `${stem}.${ext}` : stem;
}

const timeOnly = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const dayOnly = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
const dayLong = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' });

/** "Accès en urgence jusqu'à 14:05" (with the date when it ends on another day than today, in Paris). */
export function emergencyUntil(t: TFunction, endsAt: string, now = new Date()): string {
  const end = new Date(endsAt);
  const time = timeOnly.format(end);
  return dayOnly.format(end) === dayOnly.format(now)
    ? t('dmpPro.emergency.banner', { time })
    : t('dmpPro.emergency.bannerOtherDay', { time, date: dayLong.format(end) });
}

