import { createBrowserRouter } from 'react-router';
import { addErrorMessages } from './api';
import frPro from './i18n/fr-pro';
import frDmp from './i18n/fr-dmp';
import frDmpPro from './i18n/fr-dmp-pro';
import frMessaging from './i18n/fr-messaging';
import frChat from './i18n/fr-chat';
import frMessagingPro from './i18n/fr-messaging-pro';
import frMessagingAdmin from './i18n/fr-messaging-admin';
import frProfile from './i18n/fr-profile';
import frMeasures from './i18n/fr-measures';
import frAgenda from './i18n/fr-agenda';
import frPrevention from './i18n/fr-prevention';
import frQuestionnaire from './i18n/fr-questionnaire';
import frReferenceAdmin from './i18n/fr-reference-admin';
import { AdminLayout } from './layouts/AdminLayout';
import { PatientLayout } from './layouts/PatientLayout';
import { ProLayout } from './layouts/ProLayout';
import { PublicLayout } from './layouts/PublicLayout';
import { RootLayout } from './layouts/RootLayout';
import { AdminHomePage } from './pages/admin/AdminHomePage';
import { ClockPage } from './pages/admin/ClockPage';
import { ImportPage } from './pages/admin/ImportPage';
import { LettersPage } from './pages/admin/LettersPage';
import { OutboxPage } from './pages/admin/OutboxPage';
import { MailboxesPage } from './pages/admin/MailboxesPage';
import { PersonsPage } from './pages/admin/PersonsPage';
import { ReferencePage } from './pages/admin/ReferencePage';
import { PreventionIndicatorsPage } from './pages/admin/PreventionIndicatorsPage';
import { ProfilePage } from './pages/patient/profile/ProfilePage';
import { SectionPage } from './pages/patient/profile/SectionPage';
import { DirectivesPage } from './pages/patient/profile/DirectivesPage';
import { SummaryPage } from './pages/patient/profile/SummaryPage';
import { MeasuresPage } from './pages/patient/measures/MeasuresPage';
import { MeasurePage } from './pages/patient/measures/MeasurePage';
import { GrowthPage } from './pages/patient/measures/GrowthPage';
import { AgendaPage } from './pages/patient/agenda/AgendaPage';
import { PreventionPage } from './pages/patient/prevention/PreventionPage';
import { VaccinationCalendarPage } from './pages/patient/prevention/VaccinationCalendarPage';
import { QuestionnairePage } from './pages/patient/prevention/QuestionnairePage';
import { AccountPage } from './pages/patient/AccountPage';
import { FamilyPage } from './pages/patient/FamilyPage';
import { NotificationsPage } from './pages/patient/NotificationsPage';
import { PatientHomePage } from './pages/patient/PatientHomePage';
import { ProfessionalsPage } from './pages/patient/ProfessionalsPage';
import { AccessHistoryPage } from './pages/patient/documents/AccessHistoryPage';
import { DocumentsPage } from './pages/patient/documents/DocumentsPage';
import { InboxPage } from './pages/patient/messages/InboxPage';
import { ProInboxPage } from './pages/pro/messages/ProInboxPage';
import { ChatPage } from './pages/pro/chat/ChatPage';
import { ProActivityPage } from './pages/pro/ProActivityPage';
import { ProPage } from './pages/pro/ProPage';
import { ProPatientPage } from './pages/pro/ProPatientPage';
import { ActivationPage } from './pages/public/ActivationPage';
import { CallbackPage } from './pages/public/CallbackPage';
import { CrashPage } from './pages/public/CrashPage';
import { ForgotPasswordPage } from './pages/public/ForgotPasswordPage';
import { HomePage } from './pages/public/HomePage';
import { NotFoundPage } from './pages/public/NotFoundPage';
import { OppositionPage } from './pages/public/OppositionPage';
import { SignInPage } from './pages/public/SignInPage';
import { SignInStartPage } from './pages/public/SignInStartPage';

// The API error codes of the professionals' pages, kept in their own i18n file.
addErrorMessages(frPro.professionals.errors);
addErrorMessages(frPro.proSpace.errors);
addErrorMessages(frDmp.dmp.errors);
addErrorMessages(frDmpPro.dmpPro.errors);
addErrorMessages(frMessaging.messaging.errors);
addErrorMessages(frChat.chat.errors);
addErrorMessages(frMessagingPro.messagingPro.errors);
addErrorMessages(frMessagingAdmin.messagingAdmin.errors);
addErrorMessages(frProfile.profile.errors);
addErrorMessages(frMeasures.measures.errors);
addErrorMessages(frAgenda.agenda.errors);
addErrorMessages(frPrevention.prevention.errors);
addErrorMessages(frQuestionnaire.questionnaire.errors);
addErrorMessages(frReferenceAdmin.referenceAdmin.errors);

/** Every route of the SPA (the server answers index.html for them: src/http/web-routes.ts SPA_ROUTES). */
export const router = createBrowserRouter([
  {
    element: <RootLayout />,
    errorElement: <CrashPage />,
    children: [
      {
        element: <PublicLayout />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'opposition', element: <OppositionPage /> },
          { path: 'activation', element: <ActivationPage /> },
          { path: 'connexion', element: <SignInStartPage /> },
          { path: 'interaction/:uid', element: <SignInPage /> },
          { path: 'callback', element: <CallbackPage /> },
          { path: 'mot-de-passe-oublie', element: <ForgotPasswordPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
      {
        path: 'patient',
        element: <PatientLayout />,
        children: [
          { index: true, element: <PatientHomePage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          { path: 'compte', element: <AccountPage /> },
          { path: 'famille', element: <FamilyPage /> },
          { path: 'professionnels', element: <ProfessionalsPage /> },
          { path: 'documents', element: <DocumentsPage /> },
          { path: 'historique', element: <AccessHistoryPage /> },
          { path: 'messages', element: <InboxPage /> },
          { path: 'messages/:conversationId', element: <InboxPage /> },
          { path: 'profil', element: <ProfilePage /> },
          { path: 'profil/directives', element: <DirectivesPage /> },
          { path: 'profil/synthese', element: <SummaryPage /> },
          { path: 'profil/:section', element: <SectionPage /> },
          { path: 'mesures', element: <MeasuresPage /> },
          { path: 'mesures/croissance', element: <GrowthPage /> },
          { path: 'mesures/:code', element: <MeasurePage /> },
          { path: 'agenda', element: <AgendaPage /> },
          { path: 'prevention', element: <PreventionPage /> },
          { path: 'prevention/vaccinations', element: <VaccinationCalendarPage /> },
          { path: 'prevention/questionnaire/:band', element: <QuestionnairePage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
      {
        path: 'admin',
        element: <AdminLayout />,
        children: [
          { index: true, element: <AdminHomePage /> },
          { path: 'import', element: <ImportPage /> },
          { path: 'personnes', element: <PersonsPage /> },
          { path: 'courriers', element: <LettersPage /> },
          { path: 'courriels', element: <OutboxPage /> },
          { path: 'boites', element: <MailboxesPage /> },
          { path: 'referentiels', element: <ReferencePage /> },
          { path: 'prevention', element: <PreventionIndicatorsPage /> },
          { path: 'horloge', element: <ClockPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
      {
        path: 'pro',
        element: <ProLayout />,
        children: [
          { index: true, element: <ProPage /> },
          { path: 'patients/:id', element: <ProPatientPage /> },
          { path: 'activite', element: <ProActivityPage /> },
          { path: 'messages', element: <ProInboxPage /> },
          { path: 'messages/:conversationId', element: <ProInboxPage /> },
          { path: 'discussions', element: <ChatPage /> },
          { path: 'discussions/:roomId', element: <ChatPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
