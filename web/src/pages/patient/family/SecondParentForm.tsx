import { useTranslation } from 'react-i18next';
import type { Child } from '../../../types';
import { PersonForm } from './PersonForm';

/** Invites the child's second legal representative (who must have an active profile). */
export function SecondParentForm({ id, child, childName }: { id: string; child: Child; childName: string }) {
  const { t } = useTranslation();
  return (
    <PersonForm
      id={id}
      idPrefix={id}
      title={t('family.inviteSecondParentFor', { name: childName })}
      titleLevel="h4"
      intro={t('family.secondParentIntro')}
      labels={{ nir: t('fields.nir'), familyName: t('family.familyName'), givenName: t('family.givenName') }}
      submitLabel={t('family.sendSecondParent')}
      sentMessage={t('family.secondParentSent')}
      endpoint={`/api/family/${encodeURIComponent(child.patientId)}/second-parent`}
      invalidates={['family']}
    />
  );
}
