import type { TFunction } from 'i18next';
import { formatDate } from '../../format';
import type { AccessAnswer, ProPatientIdentity } from '../../types';

/** The access status as the professional reads it, with its reason. */
export function proAccessText(t: TFunction, answer: AccessAnswer): string {
  switch (answer.status) {
    case 'authorised':
      switch (answer.basis) {
        case 'medecin-traitant':
          return t('proSpace.status.medecinTraitant');
        case 'care-team':
          return answer.since
            ? t('proSpace.status.careTeamSince', { date: formatDate(answer.since) })
            : t('proSpace.status.careTeam');
        case 'consent':
          return answer.since
            ? t('proSpace.status.consent', { date: formatDate(answer.since) })
            : t('proSpace.status.consentNoDate');
        case 'emergency':
          return t('proSpace.status.emergency');
        default:
          return answer.since
            ? t('proSpace.status.patientSince', { date: formatDate(answer.since) })
            : t('proSpace.status.patient');
      }
    case 'consent-needed':
      return t('proSpace.status.consentNeeded');
    case 'blocked':
      return t('proSpace.status.blocked');
    case 'closed':
      return t('proSpace.status.closed');
    default:
      return t('proSpace.status.noProfile');
  }
}

/** The INS assigning authorities a professional may choose (urn:oid systems). */
export const INS_SYSTEMS = [
  { key: 'nir', system: 'urn:oid:1.2.250.1.213.1.4.8' },
  { key: 'nia', system: 'urn:oid:1.2.250.1.213.1.4.9' },
  { key: 'test', system: 'urn:oid:1.2.250.1.213.1.4.10' },
  { key: 'demo', system: 'urn:oid:1.2.250.1.213.1.4.11' },
] as const;

/** "INS-NIR-TEST" for urn:oid:1.2.250.1.213.1.4.10. */
export function insTypeLabel(t: TFunction, system: string): string {
  const bare = system.replace(/^urn:oid:/, '');
  const found = INS_SYSTEMS.find((s) => s.system === `urn:oid:${bare}`);
  return found ? t(`proSpace.search.insTypes.${found.key}`) : bare;
}

export const patientName = (p: Pick<ProPatientIdentity, 'family' | 'given'>): string =>
  [p.given, p.family].filter(Boolean).join(' ');

export const sexLabel = (t: TFunction, sex: string): string =>
  ['F', 'M', 'I'].includes(sex) ? t(`proSpace.identity.sexes.${sex}`) : sex;
