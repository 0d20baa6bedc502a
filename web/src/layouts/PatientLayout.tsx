import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { ActingProvider } from '../acting';
import { ActingBanner } from '../components/ActingBanner';
import { AppShell } from '../components/AppShell';
import { ProfileSwitcher } from '../components/ProfileSwitcher';
import { RequireRole } from '../components/RequireRole';
import { isSignedIn } from '../auth';

export function PatientLayout() {
  const { t } = useTranslation();
  const nav = [
    { to: '/patient', label: t('nav.patient.home'), end: true },
    { to: '/patient/documents', label: t('nav.patient.documents') },
    { to: '/patient/messages', label: t('messaging.nav.patient') },
    { to: '/patient/profil', label: t('profile.nav') },
    { to: '/patient/mesures', label: t('measures.nav') },
    { to: '/patient/agenda', label: t('agenda.nav') },
    { to: '/patient/prevention', label: t('prevention.nav') },
    { to: '/patient/notifications', label: t('nav.patient.notifications') },
    { to: '/patient/compte', label: t('nav.patient.account') },
    { to: '/patient/famille', label: t('nav.patient.family') },
    { to: '/patient/professionnels', label: t('nav.patient.professionals') },
    { to: '/patient/historique', label: t('nav.patient.history') },
  ];
  return (
    <AppShell space="patient" nav={nav} signedIn={isSignedIn()}>
      <RequireRole space="patient">
        {(me) => (
          <ActingProvider profiles={me.profiles ?? []}>
            <div className="acting-bar">
              <ActingBanner />
              <ProfileSwitcher />
            </div>
            <Outlet />
          </ActingProvider>
        )}
      </RequireRole>
    </AppShell>
  );
}
