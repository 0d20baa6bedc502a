import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { startSignIn } from '../../auth';
import { PageHeading } from '../../components/PageHeading';

/** /connexion: where sign-in starts (the identifier and password page comes from the provider's interaction). */
export function SignInStartPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('signInStart.title')} />
      <p>{t('signInStart.text')}</p>
      <button type="button" className="button button--primary" onClick={() => void startSignIn()}>
        {t('common.signIn')}
      </button>
      <ul className="plain-list links">
        <li>
          <Link to="/activation">{t('signIn.noAccount')}</Link>
        </li>
        <li>
          <Link to="/mot-de-passe-oublie">{t('signIn.forgot')}</Link>
        </li>
      </ul>
    </>
  );
}
