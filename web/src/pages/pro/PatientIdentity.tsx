import { useTranslation } from 'react-i18next';
import { formatCivilDate } from '../../format';
import type { ProPatientIdentity } from '../../types';
import { insTypeLabel, sexLabel } from './access';

/** The identity to check (identitovigilance): birth name in capitals, given names, birth date, sex, INS. */
export function PatientIdentity({ patient }: { patient: ProPatientIdentity }) {
  const { t } = useTranslation();
  return (
    <dl className="details">
      <dt>{t('proSpace.identity.family')}</dt>
      <dd>{patient.family.toUpperCase()}</dd>
      <dt>{t('proSpace.identity.given')}</dt>
      <dd>{patient.given}</dd>
      <dt>{t('proSpace.identity.birthDate')}</dt>
      <dd>{formatCivilDate(patient.birthDate)}</dd>
      <dt>{t('proSpace.identity.sex')}</dt>
      <dd>{sexLabel(t, patient.sex)}</dd>
      <dt>{t('proSpace.identity.ins')}</dt>
      <dd>
        {patient.ins.value} ({insTypeLabel(t, patient.ins.system)})
      </dd>
    </dl>
  );
}
