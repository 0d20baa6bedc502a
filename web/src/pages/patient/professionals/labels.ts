import type { TFunction } from 'i18next';
import { formatDate } from '../../../format';
import type { AccessTrace, CareRole, DirectoryItem, ProfessionalEntry } from '../../../types';

/** "Dr", "Pr" from a practice civility (directory code DR/PR, or a label); nothing otherwise. */
export function civilityPrefix(t: TFunction, civility: string | null | undefined): string {
  if (!civility) return '';
  const key = civility.trim().toUpperCase();
  const known: Record<string, string> = { DR: 'DR', DOCTEUR: 'DR', PR: 'PR', PROFESSEUR: 'PR' };
  return known[key] ? t(`professionals.civilities.${known[key]}`) : '';
}

/** A professional's name as shown: "Dr Claire Durand". */
export function professionalName(
  t: TFunction,
  p: Pick<ProfessionalEntry, 'family' | 'given' | 'civility'> | Pick<DirectoryItem, 'family' | 'given' | 'civility'>,
): string {
  return [civilityPrefix(t, p.civility), p.given, p.family].filter(Boolean).join(' ') || t('professionals.unnamed');
}

export const roleLabel = (t: TFunction, role: string): string =>
  t(`professionals.roles.${role}`, { defaultValue: role });

/** The professions of an entry, "Médecin, Pharmacien". */
export function professionsText(entry: ProfessionalEntry): string {
  const labels = entry.professions.map((p) => p.label ?? p.code).filter(Boolean);
  const skills = entry.situations.map((s) => s.skillLabel).filter((s): s is string => Boolean(s));
  return [...new Set([...labels, ...skills])].join(', ');
}

/** The date of the newest change of this kind, if any. */
const lastChange = (entry: ProfessionalEntry, change: string): string | undefined =>
  entry.changes.find((c) => c.change === change)?.at;

/** The access status of a professional on the patient's record, in plain French. */
export function accessText(t: TFunction, entry: ProfessionalEntry): string {
  const date = (value: string | null | undefined) => formatDate(value);
  switch (entry.access) {
    case 'blocked':
      return t('professionals.access.blocked', { date: date(entry.blockedAt) });
    case 'closed':
      return t('professionals.access.closed');
    case 'authorised':
      switch (entry.basis) {
        case 'medecin-traitant':
          return t('professionals.access.medecinTraitant');
        case 'care-team': {
          const role = entry.roles.find((r) => r !== 'medecin-traitant');
          if (role) return t('professionals.access.role', { role: roleLabel(t, role) });
          return entry.careTeamSince
            ? t('professionals.access.careTeam', { date: date(entry.careTeamSince) })
            : t('professionals.access.careTeamNoDate');
        }
        case 'consent':
          return t('professionals.access.consent', { date: date(entry.consentAt) });
        default:
          return t('professionals.access.patient', { date: date(entry.addedAt) });
      }
    default: {
      if (!entry.inList) {
        const removed = lastChange(entry, 'removed');
        return removed ? t('professionals.access.removed', { date: date(removed) }) : t('professionals.access.removedNoDate');
      }
      return t('professionals.access.consentNeeded');
    }
  }
}

/** One dated change of the relation, in French. */
export function changeText(t: TFunction, change: string, detail: string | null): string {
  const known = [
    'added',
    'removed',
    'role-set',
    'role-removed',
    'administrator-set',
    'administrator-removed',
    'blocked',
    'unblocked',
    'consent',
    'care-team',
  ];
  const key = known.includes(change) ? change : 'other';
  return t(`professionals.changes.${key}`, { role: detail ? roleLabel(t, detail) : '' });
}

/** The resource type a trace touched ("DocumentReference/…", "Patient?$access-status"). */
const traceType = (what: string): string => what.split(/[/?]/)[0] ?? '';

/** What a trace says was done, in French: "Lecture : documents", "Vérification d'accès". */
export function traceAction(t: TFunction, trace: AccessTrace): string {
  if (trace.what.includes('$access-status')) return t('professionals.traces.interactions.check');
  const interactions = [
    'read',
    'vread',
    'search-type',
    'search-system',
    'search',
    'create',
    'update',
    'patch',
    'delete',
    'history-instance',
    'history-type',
  ];
  const action = t(`professionals.traces.interactions.${interactions.includes(trace.interaction) ? trace.interaction : 'other'}`);
  const type = traceType(trace.what);
  if (!type) return action;
  const what = t(`professionals.traces.what.${type}`, { defaultValue: type });
  return t('professionals.traces.actionOn', { action, what });
}

export const traceOutcome = (t: TFunction, trace: AccessTrace): string =>
  t(`professionals.traces.outcomes.${trace.outcome === 'refused' ? 'refused' : 'success'}`);

/** The roles this professional may hold, from their professions (médecin 10, pharmacien 21, sage-femme 50). */
export function rolesOpenTo(professionCodes: readonly string[], all: ReadonlyArray<{ role: CareRole; profession: string }>): CareRole[] {
  return all.filter((r) => professionCodes.includes(r.profession)).map((r) => r.role);
}

const shortDateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });

/** An instant as "22/11/2026 14:05" in Paris: the traces' tables stay narrow enough for a phone. */
export function formatShortDateTime(value: string | null | undefined): string {
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? shortDateTime.format(date) : '';
}
