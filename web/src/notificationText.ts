import type { TFunction } from 'i18next';
import { formatCivilDate, formatDate, formatDateTime } from './format';
import type { Notification } from './types';

export const KNOWN_NOTIFICATION_TYPES = [
  'notice-sent',
  'profile-opened',
  'profile-activated',
  'email-verified',
  'password-changed',
  'profile-closed',
  'profile-reopened',
  'profile-suspended',
  'second-parent-invited',
  'second-parent-accepted',
  'second-parent-refused',
  'carer-invited',
  'carer-accepted',
  'carer-refused',
  'carer-revoked',
  'majority-reached',
  'message-received',
  'message-undelivered',
];

/** The shared medical record's notification types (domain.md §2.10), whose texts are in fr-dmp.ts. */
export const DMP_NOTIFICATION_TYPES = [
  'AJOUT_DOCUMENT',
  'MODIF_DOCUMENT',
  'SUPP_DOC',
  'ACCES_BRIS_GLACE',
  'REMISE_VISIBILITE_AUTO',
  'DOCUMENT_EN_ATTENTE',
];

/** The agenda's reminders (docs/agenda.md): RAPPEL_RDV_USAGER and RAPPEL_AGENDA. */
export const AGENDA_NOTIFICATION_TYPES = ['appointment-reminder', 'agenda-reminder'];

/** The prevention reminders (docs/prevention.md "Reminders"), whose texts are in fr-prevention-notifications.ts. */
export const PREVENTION_NOTIFICATION_TYPES = [
  'prevention-child-exam',
  'prevention-vaccination',
  'prevention-screening',
  'prevention-dental',
  'prevention-key-age-checkup',
];

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T/;

/**
 * The French title and text of a notification, from its type and params (unknown types get a generic text).
 * Params the server sends: child, helped, who (names); dueAt, closesOn (instants); by ('helped' | 'delegate',
 * the side that ended a carer's access, used as the i18n context).
 */
export function notificationText(t: TFunction, n: Notification): { title: string; text: string } {
  if (DMP_NOTIFICATION_TYPES.includes(n.type)) return dmpNotificationText(t, n);
  if (AGENDA_NOTIFICATION_TYPES.includes(n.type)) return agendaNotificationText(t, n);
  if (PREVENTION_NOTIFICATION_TYPES.includes(n.type)) return preventionNotificationText(t, n);
  const type = KNOWN_NOTIFICATION_TYPES.includes(n.type) ? n.type : 'generic';
  const values: Record<string, string> = {
    who: t('notifications.someone'),
    from: t('notifications.someone'),
    helped: t('notifications.someone'),
    child: t('notifications.yourChild'),
    dueAt: t('notifications.aDate'),
    closesOn: t('notifications.aDate'),
  };
  for (const [key, value] of Object.entries(n.params ?? {})) {
    if (typeof value === 'string' && value !== '') values[key] = ISO_INSTANT.test(value) ? formatDate(value) : value;
    else if (typeof value === 'number') values[key] = String(value);
  }
  const by = n.params?.by;
  const context = by === 'helped' || by === 'delegate' ? by : undefined;
  return {
    title: t(`notifications.types.${type}.title`, values),
    text: t(`notifications.types.${type}.text`, { ...values, ...(context ? { context } : {}) }),
  };
}

/**
 * A document notification: params documentId and category (a patient's category code, shown by its label);
 * for an emergency access, professional (name), purpose and at (instant).
 */
function dmpNotificationText(t: TFunction, n: Notification): { title: string; text: string } {
  const params = n.params ?? {};
  const category = typeof params.category === 'string' && params.category ? params.category : '';
  const values: Record<string, string> = {
    category: category ? t(`dmp.categories.${category}`, { defaultValue: t('dmp.notifications.someCategory') }) : t('dmp.notifications.someCategory'),
    professional: typeof params.professional === 'string' && params.professional ? params.professional : t('dmp.notifications.someone'),
    at: typeof params.at === 'string' && ISO_INSTANT.test(params.at) ? formatDateTime(params.at) : t('notifications.aDate'),
  };
  return {
    title: t(`dmp.notifications.${n.type}.title`, values),
    text: t(`dmp.notifications.${n.type}.text`, values),
  };
}

/** An agenda reminder: params title (the entry's title) and start (instant); texts in agenda.notifications. */
function agendaNotificationText(t: TFunction, n: Notification): { title: string; text: string } {
  const params = n.params ?? {};
  const type = n.type === 'appointment-reminder' ? 'appointment-reminder' : 'agenda-reminder';
  const values = {
    title: typeof params.title === 'string' && params.title ? params.title : t(`agenda.notifications.${type}.untitled`),
    start: typeof params.start === 'string' && ISO_INSTANT.test(params.start) ? formatDateTime(params.start) : t('notifications.aDate'),
  };
  return {
    title: t(`agenda.notifications.${type}.title`, values),
    text: t(`agenda.notifications.${type}.text`, values),
  };
}

const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A prevention reminder: params code (the item's), title (the calendar's French title), windowStart and
 * windowEnd (civil dates, both included); texts in preventionNotifications.
 */
function preventionNotificationText(t: TFunction, n: Notification): { title: string; text: string } {
  const params = n.params ?? {};
  const civil = (v: unknown) => (typeof v === 'string' && CIVIL_DATE.test(v) ? formatCivilDate(v) : t('notifications.aDate'));
  const values = {
    title: typeof params.title === 'string' && params.title ? params.title : t('preventionNotifications.untitled'),
    windowStart: civil(params.windowStart),
    windowEnd: civil(params.windowEnd),
  };
  return {
    title: t(`preventionNotifications.${n.type}.title`, values),
    text: t(`preventionNotifications.${n.type}.text`, values),
  };
}

const CATEGORIES = ['account', 'documents', 'messages', 'appointments', 'prevention', 'services'];

export const categoryLabel = (t: TFunction, category: string): string =>
  t(`categories.${CATEGORIES.includes(category) ? category : 'other'}`);
