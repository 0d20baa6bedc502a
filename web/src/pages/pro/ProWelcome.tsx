import { useTranslation } from 'react-i18next';
import { startSignIn } from '../../auth';
import { PageHeading } from '../../components/PageHeading';
import { wasSessionExpired } from '../../session';

/** The professional space before sign-in: what it offers, and the Pro Santé Connect button. */
export function ProWelcome() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('proSpace.welcome.title')} />
      {wasSessionExpired() && <p className="alert alert--info">{t('signIn.expired')}</p>}
      <p className="lead">{t('proSpace.welcome.intro')}</p>
      <ul>
        <li>{t('proSpace.welcome.points.search')}</li>
        <li>{t('proSpace.welcome.points.read')}</li>
        <li>{t('proSpace.welcome.points.traces')}</li>
      </ul>
      <p>{t('proSpace.welcome.signInText')}</p>
      <button type="button" className="button button--primary" onClick={() => void startSignIn({ space: 'pro' })}>
        {t('proSpace.welcome.signIn')}
      </button>
    </>
  );
}
