import { useTranslation } from 'react-i18next';
import { useActing } from '../../acting';
import { PageHeading } from '../../components/PageHeading';
import { useMe } from '../../hooks/useMe';
import { ChangeEmailForm } from './account/ChangeEmailForm';
import { ChangePasswordForm } from './account/ChangePasswordForm';
import { CloseProfileForm } from './account/CloseProfileForm';
import { ExportSection } from './account/ExportSection';

/** /patient/compte: contacts, password, data download, closure (the last two not for carers). */
export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { isCarer } = useActing();

  return (
    <>
      <PageHeading title={t('account.title')} />
      <section aria-labelledby="contact-title" className="panel">
        <h2 id="contact-title">{t('account.contactTitle')}</h2>
        <p>{t('account.login', { login: me.data?.login ?? '' })}</p>
        <p>{t('account.currentEmail', { email: me.data?.email || t('common.notSet') })}</p>
        <ChangeEmailForm />
      </section>
      <ChangePasswordForm />
      {isCarer ? (
        <p className="alert alert--info">{t('account.carerNote')}</p>
      ) : (
        <>
          <ExportSection />
          <CloseProfileForm />
        </>
      )}
    </>
  );
}
