import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { AppShell } from '../components/AppShell';

export function ProLayout() {
  const { t } = useTranslation();
  return (
    <AppShell space="pro" nav={[{ to: '/pro', label: t('nav.pro.home'), end: true }]}>
      <Outlet />
    </AppShell>
  );
}
