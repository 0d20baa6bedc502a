import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AccessAnswer } from '../../types';
import { patientName, proAccessText } from './access';
import { DeclareAccess } from './DeclareAccess';
import { PatientIdentity } from './PatientIdentity';

/** One answer of the patient search: the identity to check, the access status and what can be done next. */
export function AccessResult({ match, headingLevel: Heading = 'h3' }: { match: AccessAnswer; headingLevel?: 'h3' | 'h4' }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState(match);
  const patient = answer.patient ?? match.patient;
  const statusId = patient ? `access-status-${patient.id}` : undefined;

  // without a profile, when blocked or on a closed profile, Carnet gives the status only, not the identity
  if (!patient || answer.status === 'no-profile') {
    return (
      <li className="card">
        <p>
          <strong>{proAccessText(t, answer)}</strong>
        </p>
        {answer.status === 'no-profile' && <p>{t('proSpace.search.noProfileHint')}</p>}
      </li>
    );
  }

  const name = patientName(patient);
  const titleId = `patient-${patient.id}-title`;
  return (
    <li className="card">
      <article aria-labelledby={titleId}>
        <Heading id={titleId}>{name}</Heading>
        <p className="meta">{t('proSpace.identity.check')}</p>
        <PatientIdentity patient={patient} />
        <p id={statusId} tabIndex={-1} className={answer.status === 'authorised' ? 'text-success' : answer.status === 'consent-needed' ? undefined : 'text-error'}>
          <strong>{proAccessText(t, answer)}</strong>
        </p>
        {answer.status === 'consent-needed' && (
          <>
            <p>{t('proSpace.status.consentNeededHint')}</p>
            <DeclareAccess
              patientId={patient.id}
              name={name}
              onDeclared={(access) => {
                setAnswer({ ...access, patient });
                window.setTimeout(() => statusId && document.getElementById(statusId)?.focus(), 0);
              }}
            />
          </>
        )}
        {answer.status === 'authorised' && (
          <p>
            <Link className="button button--primary button--small" to={`/pro/patients/${encodeURIComponent(patient.id)}`}>
              {t('proSpace.search.open', { name })}
            </Link>
          </p>
        )}
      </article>
    </li>
  );
}
