import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { AppShell } from '../components/AppShell';
import { RequireRole } from '../components/RequireRole';
import { isSignedIn } from '../auth';

export function AdminLayout() {
  const { t } = useTranslation();
  const nav = [
    { to: '/admin', label: t('nav.admin.home'), end: true },
    { to: '/admin/import', label: t('nav.admin.import') },
    { to: '/admin/personnes', label: t('nav.admin.persons') },
    { to: '/admin/courriers', label: t('nav.admin.letters') },
    { to: '/admin/boites', label: t('messagingAdmin.nav') },
    { to: '/admin/courriels', label: t('nav.admin.outbox') },
    { to: '/admin/referentiels', label: t('referenceAdmin.nav') },
    { to: '/admin/prevention', label: t('preventionAdmin.nav') },
    { to: '/admin/horloge', label: t('nav.admin.clock') },
  ];
  return (
    <AppShell space="admin" nav={nav} signedIn={isSignedIn()}>
      <RequireRole space="admin">{() => <Outlet />}</RequireRole>
    </AppShell>
  );
}
