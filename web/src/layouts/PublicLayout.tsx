import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { AppShell } from '../components/AppShell';

export function PublicLayout() {
  const { t } = useTranslation();
  const nav = [
    { to: '/', label: t('nav.public.home'), end: true },
    { to: '/activation', label: t('nav.public.activation') },
    { to: '/opposition', label: t('nav.public.opposition') },
  ];
  return (
    <AppShell space="public" nav={nav}>
      <Outlet />
    </AppShell>
  );
}
