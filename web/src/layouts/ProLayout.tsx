import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { AppShell } from '../components/AppShell';
import { isSignedIn } from '../auth';
import { RequirePro } from '../pages/pro/RequirePro';

/** The professional space: home and patient search, own activity; Pro Santé Connect sign-in when signed out. */
export function ProLayout() {
  const { t } = useTranslation();
  const nav = [
    { to: '/pro', label: t('proSpace.nav.home'), end: true },
    { to: '/pro/messages', label: t('messaging.nav.pro') },
    { to: '/pro/discussions', label: t('chat.nav') },
    { to: '/pro/activite', label: t('proSpace.nav.activity') },
  ];
  return (
    <AppShell space="pro" nav={nav} signedIn={isSignedIn()}>
      <RequirePro>{() => <Outlet />}</RequirePro>
    </AppShell>
  );
}
