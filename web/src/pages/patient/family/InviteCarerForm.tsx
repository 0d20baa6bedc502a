import { useTranslation } from 'react-i18next';
import { PersonForm } from './PersonForm';

/** Invites a carer found by INS, birth name, first given name and birth date. */
export function InviteCarerForm() {
  const { t } = useTranslation();
  return (
    <PersonForm
      idPrefix="carer"
      title={t('family.inviteCarerTitle')}
      titleLevel="h3"
      intro={t('family.inviteCarerIntro')}
      labels={{
        nir: t('family.ins'),
        nirHint: t('family.insHint'),
        familyName: t('family.birthName'),
        givenName: t('family.firstGivenName'),
      }}
      submitLabel={t('family.sendCarer')}
      sentMessage={t('family.carerSent')}
      endpoint="/api/delegations/carers"
      invalidates={['delegations']}
    />
  );
}
