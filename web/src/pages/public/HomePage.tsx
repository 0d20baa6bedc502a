import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { startSignIn } from '../../auth';
import { PageHeading } from '../../components/PageHeading';
import { StatusMessage } from '../../components/StatusMessage';

type Flash = 'signedOut' | 'profileClosed';

export function HomePage() {
  const { t } = useTranslation();
  const flash = (useLocation().state as { flash?: Flash } | null)?.flash;

  return (
    <>
      <StatusMessage>
        {flash === 'signedOut' && t('shell.signedOut')}
        {flash === 'profileClosed' && t('shell.profileClosed')}
      </StatusMessage>
      <PageHeading title={t('home.title')} />
      <p className="lead">{t('home.intro')}</p>
      <p>{t('home.optOut')}</p>

      <section aria-labelledby="home-patients" className="panel">
        <h2 id="home-patients">{t('home.patientsTitle')}</h2>
        <div className="button-group">
          <Link className="button button--primary" to="/activation">
            {t('home.activate')}
          </Link>
          <button type="button" className="button button--primary" onClick={() => void startSignIn()}>
            {t('home.signIn')}
          </button>
          <Link className="button button--secondary" to="/opposition">
            {t('home.oppose')}
          </Link>
        </div>
      </section>

      <section aria-labelledby="home-others" className="panel">
        <h2 id="home-others">{t('home.othersTitle')}</h2>
        <div className="button-group">
          <Link className="button button--secondary" to="/pro">
            {t('home.pro')}
          </Link>
          <Link className="button button--secondary" to="/admin">
            {t('home.operator')}
          </Link>
        </div>
      </section>
    </>
  );
}
