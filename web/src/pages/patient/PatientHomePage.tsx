import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { useMe } from '../../hooks/useMe';
import { useNotifications } from '../../hooks/usePatientData';

export function PatientHomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const notifications = useNotifications();
  const name = me.data?.displayName ?? '';

  return (
    <>
      <PageHeading title={t('patientHome.title', { name })} />
      {notifications.isPending ? (
        <Loading />
      ) : notifications.isError ? (
        <QueryError error={notifications.error} />
      ) : (
        <p className="lead">
          <Link to="/patient/notifications">{t('patientHome.unread', { count: notifications.data.unread ?? 0 })}</Link>
        </p>
      )}
      <section aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">{t('patientHome.shortcutsTitle')}</h2>
        <ul className="cards">
          <li className="card">
            <Link to="/patient/notifications">{t('patientHome.shortcuts.notifications')}</Link>
          </li>
          <li className="card">
            <Link to="/patient/compte">{t('patientHome.shortcuts.account')}</Link>
          </li>
          <li className="card">
            <Link to="/patient/famille">{t('patientHome.shortcuts.family')}</Link>
          </li>
        </ul>
      </section>
    </>
  );
}
