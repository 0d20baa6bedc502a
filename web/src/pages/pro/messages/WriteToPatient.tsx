import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { formatCivilDate } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { SendResult } from '../../../messaging-types';
import type { AccessAnswer, ProPatientIdentity } from '../../../types';
import { isNir, normaliseNir } from '../../../validation';
import { ProComposeForm } from './ProComposeForm';
import { focusLater } from './ProConversation';

/** "Écrire à un patient": found by INS (the pro space's patient search), then subject, text, attachments. */
export function WriteToPatient({ onSent }: { onSent: (patientId: string, result: SendResult | undefined, ended: boolean) => Promise<void> }) {
  const { t } = useTranslation();
  const [ins, setIns] = useState('');
  const [patient, setPatient] = useState<ProPatientIdentity | null>(null);
  const [notFound, setNotFound] = useState(false);
  const search = useSubmit((code) => (code.startsWith('ins.') ? 'msg-patient-ins' : undefined));

  const onSearch = async (event: FormEvent) => {
    event.preventDefault();
    if (search.pending) return;
    const errors: FieldError[] = isNir(ins) ? [] : [{ field: 'msg-patient-ins', message: t('proSpace.search.insFormat') }];
    setNotFound(false);
    await search.run(errors, async () => {
      const answer = await api<{ matches: AccessAnswer[] }>('/api/pro/patients/search', {
        method: 'POST',
        body: { ins: { value: normaliseNir(ins) } },
        acting: false,
      });
      const found = (answer.matches ?? []).find((m) => m.patient)?.patient ?? null;
      setPatient(found);
      setNotFound(!found);
      focusLater(found ? 'msg-patient-found' : 'msg-patient-none');
    });
  };

  return (
    <section aria-labelledby="msg-patient-title" className="panel">
      <h2 id="msg-patient-title" tabIndex={-1}>
        {t('messagingPro.patient.title')}
      </h2>
      <p>{t('messagingPro.patient.intro')}</p>
      <form noValidate role="search" aria-labelledby="msg-patient-title" onSubmit={onSearch}>
        <ErrorSummary errors={search.errors} />
        <TextField
          id="msg-patient-ins"
          label={t('proSpace.search.ins')}
          hint={t('proSpace.search.insHint')}
          value={ins}
          onChange={(e) => setIns(e.target.value)}
          error={search.errorFor('msg-patient-ins')}
          autoComplete="off"
          spellCheck={false}
          maxLength={21}
        />
        <SubmitButton pending={search.pending} variant="secondary">
          {t('messagingPro.patient.search')}
        </SubmitButton>
      </form>
      {notFound && (
        <p id="msg-patient-none" tabIndex={-1} className="text-error">
          {t('messagingPro.patient.none')}
        </p>
      )}
      {patient && (
        <div className="msg-new__compose">
          <h3 id="msg-patient-found" tabIndex={-1}>
            {t('messagingPro.patient.to', { name: `${patient.given} ${patient.family}`, birthDate: formatCivilDate(patient.birthDate) })}
          </h3>
          <ProComposeForm
            key={patient.id}
            idPrefix="msg-pro-new"
            headingId="msg-patient-found"
            patientId={patient.id}
            onDone={async (result, ended) => {
              const id = patient.id;
              setPatient(null);
              setIns('');
              await onSent(id, result, ended);
            }}
            onCancel={() => {
              setPatient(null);
              focusLater('msg-patient-ins');
            }}
          />
        </div>
      )}
    </section>
  );
}
