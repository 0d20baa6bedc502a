import type { TFunction } from 'i18next';
import { formatDate } from '../../../format';
import type { DocumentView, HistoryItem } from './types';

export const categoryLabel = (t: TFunction, category: string): string =>
  t(`dmp.categories.${category}`, { defaultValue: t('dmp.categories.AUTR_DOC') });

/** The date a document is shown with: the act's date, else its deposit. */
export const documentDate = (doc: Pick<DocumentView, 'date' | 'depositedAt'>): string => doc.date ?? doc.depositedAt;

export const formatDocumentDate = (doc: Pick<DocumentView, 'date' | 'depositedAt'>): string => formatDate(documentDate(doc));

const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** An instant as the YYYY-MM-DD of its day in Paris (the value of a date input). */
export function parisDate(value: string | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : parisDay.format(d);
}

/** A size in bytes, in French ("1,2 Mo"). */
export function formatSize(t: TFunction, bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return t('dmp.size.bytes', { count: bytes });
  const kb = bytes / 1024;
  if (kb < 1024) return t('dmp.size.kb', { value: new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(kb) });
  return t('dmp.size.mb', { value: new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(kb / 1024) });
}

/** What an access was, in French: consultation, recherche, dépôt, modification, suppression. */
export function historyAction(t: TFunction, item: HistoryItem): string {
  if (item.what.includes('$access-status')) return t('dmp.history.actions.check');
  const known = ['read', 'vread', 'search-type', 'create', 'update', 'patch', 'delete', 'history-instance', 'history-type'];
  return t(`dmp.history.actions.${known.includes(item.interaction) ? item.interaction : 'other'}`);
}

/** Who acted, in French. */
export function historyActor(t: TFunction, item: HistoryItem): { kind: string; name: string } {
  switch (item.actorType) {
    case 'professional':
      return { kind: t('dmp.history.actors.professional'), name: item.agent };
    case 'patient':
      return { kind: t('dmp.history.actors.patient'), name: item.agent };
    case 'system':
      return { kind: t('dmp.history.actors.system'), name: '' };
    default:
      return { kind: t('dmp.history.actors.other'), name: item.agent };
  }
}

/** What was touched: the document's title (the API names only documents the reader sees), else the kind of data. */
export function historyTarget(t: TFunction, item: HistoryItem): string {
  if (item.documentTitle) return item.documentTitle;
  const type = item.what.split(/[/?]/)[0] ?? '';
  if (type === 'DocumentReference' && item.documentId) return t('dmp.history.targets.unavailableDocument');
  if (!type) return t('dmp.history.targets.record');
  return t(`dmp.history.targets.${type}`, { defaultValue: t('dmp.history.targets.record') });
}

/** Why a professional was let in. */
export function historyBasis(t: TFunction, item: HistoryItem): string {
  if (item.emergency) return t('dmp.history.bases.emergency');
  if (!item.basis) return '';
  return t(`dmp.history.bases.${item.basis}`, { defaultValue: item.basis });
}
