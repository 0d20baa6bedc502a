import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isStatus } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import type { AccessAnswer } from '../../types';
import { patientName, proAccessText } from './access';
import { DeclareAccess } from './DeclareAccess';
import { EmergencyAccess } from './documents/EmergencyAccess';
import { EmergencyBanner } from './documents/EmergencyBanner';
import { ProDocuments } from './documents/ProDocuments';
import { RecordHistory } from './documents/RecordHistory';
import { PatientIdentity } from './PatientIdentity';
import { ProProfilePanel } from './profile/ProProfilePanel';
import { usePatientAccess, useProMe } from './usePro';

/** The access status in words; an emergency access (basis 'emergency') has its own. */
function accessText(t: TFunction, answer: AccessAnswer): string {
  return answer.status === 'authorised' && (answer.basis as string | undefined) === 'emergency'
    ? t('dmpPro.emergency.status')
    : proAccessText(t, answer);
}

/**
 * /pro/patients/:id: the identity and the access status (checked, and traced, at each visit); when access is
 * authorised (or during an emergency access), the patient's documents (view, deposit, the professional's own
 * documents' lifecycle), the record's history for the médecin traitant, and what the patient shares of their
 * medical profile (vaccinations, entourage et volontés: ProProfilePanel); where consent is
 * needed, the declaration of access and the emergency access (bris de glace); a refusal or a block shows no
 * data at all.
 */
export function ProPatientPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const access = usePatientAccess(id);
  const me = useProMe();
  const authorised = access.data?.status === 'authorised';
  // the glass was just broken: the emergency banner takes the focus when it appears
  const [granted, setGranted] = useState(false);
  // a blocked professional or a closed profile gets no data at all, not even the identity
  const shown = access.data?.status === 'authorised' || access.data?.status === 'consent-needed';
  const patient = shown ? access.data?.patient : undefined;
  const name = patient ? patientName(patient) : '';

  return (
    <>
      <PageHeading title={name ? t('proSpace.patient.title', { name }) : t('proSpace.patient.titleUnknown')} />
      <p>
        <Link to="/pro">{t('proSpace.patient.back')}</Link>
      </p>
      {access.isPending ? (
        <Loading />
      ) : access.isError ? (
        isStatus(access.error, 404) ? (
          <p className="alert alert--error" role="alert">
            {t('proSpace.status.noProfile')}
          </p>
        ) : isStatus(access.error, 403) ? (
          <p className="alert alert--error" role="alert">
            {t('proSpace.patient.refused')}
          </p>
        ) : (
          <QueryError error={access.error} />
        )
      ) : access.data.status === 'blocked' || access.data.status === 'closed' || access.data.status === 'no-profile' ? (
        <div className="alert alert--error" role="alert">
          <p>
            <strong>{proAccessText(t, access.data)}</strong>
          </p>
          <p>{t(`proSpace.patient.${access.data.status === 'blocked' ? 'blocked' : access.data.status === 'closed' ? 'closed' : 'noData'}`)}</p>
        </div>
      ) : (
        <>
          <EmergencyBanner patientId={id} enabled={authorised} focus={granted} />
          <section aria-labelledby="identity-title" className="panel">
            <h2 id="identity-title">{t('proSpace.patient.identityTitle')}</h2>
            {patient && <PatientIdentity patient={patient} />}
            <p id="patient-access-status" tabIndex={-1}>
              <strong>{accessText(t, access.data)}</strong>
            </p>
            {access.data.status === 'consent-needed' && patient && (
              <>
                <p>{t('proSpace.status.consentNeededHint')}</p>
                <DeclareAccess
                  patientId={patient.id}
                  name={name}
                  headingLevel="h3"
                  onDeclared={() => window.setTimeout(() => document.getElementById('patient-access-status')?.focus(), 0)}
                />
              </>
            )}
          </section>
          {access.data.status === 'consent-needed' && patient && (
            <EmergencyAccess
              patientId={patient.id}
              name={name}
              isDoctor={me.data?.practice?.professionCode === '10'}
              onGranted={() => setGranted(true)}
            />
          )}
          {access.data.status === 'authorised' && (
            <>
              <ProDocuments patientId={id} practitionerId={me.data?.practitionerId} />
              {(access.data.basis === 'medecin-traitant' || access.data.administrator) && <RecordHistory patientId={id} />}
              <ProProfilePanel patientId={id} />
              <section aria-labelledby="messaging-title" className="panel">
                <h2 id="messaging-title">{t('proSpace.patient.messagingTitle')}</h2>
                <p className="note">{t('proSpace.patient.messagingNote')}</p>
                <p>
                  <Link to="/pro/messages">{t('proSpace.patient.messagingLink')}</Link>
                </p>
              </section>
            </>
          )}
        </>
      )}
    </>
  );
}
