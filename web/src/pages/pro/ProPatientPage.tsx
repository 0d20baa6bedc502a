import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isStatus } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { TableScroller } from '../../components/TableScroller';
import { formatCivilDate, formatDate, isoOrUndefined } from '../../format';
import type { AccessAnswer, FhirCodeableConcept, FhirImmunization } from '../../types';
import { patientName, proAccessText } from './access';
import { DeclareAccess } from './DeclareAccess';
import { EmergencyAccess } from './documents/EmergencyAccess';
import { EmergencyBanner } from './documents/EmergencyBanner';
import { ProDocuments } from './documents/ProDocuments';
import { RecordHistory } from './documents/RecordHistory';
import { PatientIdentity } from './PatientIdentity';
import { usePatientAccess, usePatientImmunizations, useProMe } from './usePro';

/** The access status in words; an emergency access (basis 'emergency') has its own. */
function accessText(t: TFunction, answer: AccessAnswer): string {
  return answer.status === 'authorised' && (answer.basis as string | undefined) === 'emergency'
    ? t('dmpPro.emergency.status')
    : proAccessText(t, answer);
}

/**
 * /pro/patients/:id: the identity and the access status (checked, and traced, at each visit); when access is
 * authorised (or during an emergency access), the patient's documents (view, deposit, the professional's own
 * documents' lifecycle), the record's history for the médecin traitant, and vaccinations; where consent is
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
              <VaccinationsSection patientId={id} />
              <section aria-labelledby="messaging-title" className="panel">
                <h2 id="messaging-title">{t('proSpace.patient.messagingTitle')}</h2>
                <p className="note">{t('proSpace.patient.messagingNote')}</p>
              </section>
            </>
          )}
        </>
      )}
    </>
  );
}

/** A CodeableConcept in words: its text, else its first display, else its first code. */
function conceptText(concept: FhirCodeableConcept | undefined): string {
  if (!concept) return '';
  return concept.text ?? concept.coding?.find((c) => c.display)?.display ?? concept.coding?.[0]?.code ?? '';
}

/** An occurrence date in words: a civil date stays as is, an instant is shown in Paris. */
function occurrence(i: FhirImmunization): string {
  const value = i.occurrenceDateTime;
  if (!value) return i.occurrenceString ?? '—';
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatCivilDate(value) : formatDate(value) || value;
}

function VaccinationsSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const immunizations = usePatientImmunizations(patientId, true);
  const sorted = [...(immunizations.data?.resources ?? [])].sort((a, b) =>
    (b.occurrenceDateTime ?? '').localeCompare(a.occurrenceDateTime ?? ''),
  );
  return (
    <section aria-labelledby="vaccinations-title" className="panel">
      <h2 id="vaccinations-title">{t('proSpace.patient.vaccinationsTitle')}</h2>
      {immunizations.isPending ? (
        <Loading />
      ) : immunizations.isError ? (
        <QueryError error={immunizations.error} />
      ) : sorted.length === 0 ? (
        <p>{t('proSpace.patient.vaccinationsEmpty')}</p>
      ) : (
        <TableScroller label={t('proSpace.patient.vaccinationsCaption')}>
          <table>
            <caption>{t('proSpace.patient.vaccinationsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('proSpace.patient.vaccine')}</th>
                <th scope="col">{t('proSpace.patient.date')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((i) => (
                <tr key={i.id}>
                  <td>
                    {conceptText(i.vaccineCode) || t('proSpace.patient.unknownVaccine')}
                    {i.status && i.status !== 'completed' && (
                      <> ({t(`proSpace.patient.immunizationStatus.${i.status}`, { defaultValue: i.status })})</>
                    )}
                  </td>
                  <td>
                    {i.occurrenceDateTime ? (
                      <time dateTime={isoOrUndefined(i.occurrenceDateTime)}>{occurrence(i)}</time>
                    ) : (
                      occurrence(i)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </section>
  );
}
