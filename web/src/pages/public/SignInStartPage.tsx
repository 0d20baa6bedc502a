import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { startSignIn } from '../../auth';
import { PageHeading } from '../../components/PageHeading';

/** The address of the professionals' sign-in start (`/connexion?espace=pro`), for the /pro space to link to. */
export const PRO_SIGN_IN_PATH = '/connexion?espace=pro';

/**
 * /connexion: where sign-in starts (the identifier and password page comes from the provider's interaction).
 * /connexion?espace=pro: the professionals' sign-in, with Pro Santé Connect.
 */
export function SignInStartPage() {
  const [params] = useSearchParams();
  return params.get('espace') === 'pro' ? <ProStart /> : <PatientStart />;
}

function PatientStart() {
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
        <li>
          <Link to={PRO_SIGN_IN_PATH}>{t('proSignIn.start.proLink')}</Link>
        </li>
      </ul>
    </>
  );
}

function ProStart() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('proSignIn.start.title')} />
      <p>{t('proSignIn.start.text')}</p>
      <button type="button" className="button button--primary" onClick={() => void startSignIn({ space: 'pro' })}>
        {t('proSignIn.button')}
      </button>
      <ul className="plain-list links">
        <li>
          <Link to="/connexion">{t('proSignIn.start.patientLink')}</Link>
        </li>
      </ul>
    </>
  );
}
