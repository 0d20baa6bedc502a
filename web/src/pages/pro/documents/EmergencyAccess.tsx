import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { FieldErrorText } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { PRO_KEY } from '../usePro';
import type { EmergencyGrant, EmergencyPurpose } from './types';
import { breakTheGlass, documentsKey } from './useDmpPro';

const REASON_MIN = 10;
const REASON_MAX = 500;

const fieldOf = (code: string): string | undefined =>
  code === 'emergency.reason' ? 'emergency-reason' : code === 'emergency.purpose' || code === 'emergency.samu-doctor' ? 'emergency-purpose-BTG' : undefined;

/**
 * "Accès en urgence (bris de glace)" where the patient's consent is needed (L1111-17, R1111-48): a required
 * reason and the purpose (BTG, or ETREAT for a SAMU regulating doctor), after saying that the patient and their
 * médecin traitant are informed and that the access is traced. The server refuses when the patient refused
 * emergency access beforehand or blocked the professional; the refusal shows in the form.
 */
export function EmergencyAccess({
  patientId,
  name,
  isDoctor,
  onGranted,
}: {
  patientId: string;
  name: string;
  /** Only a doctor regulates calls at the SAMU (ETREAT). */
  isDoctor: boolean;
  onGranted: (grant: EmergencyGrant) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [purpose, setPurpose] = useState<EmergencyPurpose>('BTG');
  const [reason, setReason] = useState('');
  const { errors, pending, run, errorFor, reset } = useSubmit(useCallback(fieldOf, []));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const trimmed = reason.trim();
    const invalid: FieldError[] = [];
    if (trimmed.length < REASON_MIN || trimmed.length > REASON_MAX)
      invalid.push({ field: 'emergency-reason', message: t('dmpPro.emergency.reasonLength', { min: REASON_MIN, max: REASON_MAX }) });
    let grant: EmergencyGrant | undefined;
    const ok = await run(invalid, async () => {
      grant = await breakTheGlass(patientId, { purpose, reason: trimmed });
    });
    if (ok && grant) {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [PRO_KEY, 'access', patientId] }),
        queryClient.invalidateQueries({ queryKey: documentsKey(patientId) }),
        queryClient.invalidateQueries({ queryKey: [PRO_KEY, 'activity'] }),
      ]);
      onGranted(grant);
    }
  };

  const purposeError = errorFor('emergency-purpose-BTG');
  return (
    <section aria-labelledby="emergency-title" className="panel panel--danger">
      <h2 id="emergency-title">{t('dmpPro.emergency.title')}</h2>
      <p>{t('dmpPro.emergency.intro')}</p>
      <button
        type="button"
        className="button button--secondary"
        aria-expanded={open}
        aria-controls="emergency-form-area"
        onClick={() => {
          setOpen(!open);
          reset();
        }}
      >
        {t('dmpPro.emergency.open')}
      </button>
      <div id="emergency-form-area" hidden={!open}>
        {open && (
          <form noValidate onSubmit={(e) => void onSubmit(e)} aria-label={t('dmpPro.emergency.formLabel', { name })}>
            <ErrorSummary errors={errors} />
            <ul>
              <li>{t('dmpPro.emergency.conditions')}</li>
              <li>{t('dmpPro.emergency.informed')}</li>
              <li>{t('dmpPro.emergency.traced')}</li>
              <li>{t('dmpPro.emergency.duration')}</li>
            </ul>
            {isDoctor && (
              <fieldset
                className={purposeError ? 'field field--error' : 'field'}
                aria-describedby={purposeError ? 'emergency-purpose-error' : undefined}
              >
                <legend>{t('dmpPro.emergency.purpose')}</legend>
                {purposeError && <FieldErrorText id="emergency-purpose-error" message={purposeError} />}
                {(['BTG', 'ETREAT'] as const).map((p) => (
                  <div key={p} className="field--checkbox" style={{ marginBottom: '0.5rem' }}>
                    <div className="checkbox">
                      <input
                        id={`emergency-purpose-${p}`}
                        type="radio"
                        name="emergency-purpose"
                        value={p}
                        checked={purpose === p}
                        onChange={() => setPurpose(p)}
                        style={{ width: '1.5rem', height: '1.5rem', margin: '0.125rem 0 0', flex: 'none', accentColor: 'var(--primary)' }}
                      />
                      <label htmlFor={`emergency-purpose-${p}`} style={{ fontWeight: 400 }}>
                        {t(`dmpPro.emergency.purposes.${p}`)}
                      </label>
                    </div>
                  </div>
                ))}
              </fieldset>
            )}
            {!isDoctor && purposeError && <FieldErrorText id="emergency-purpose-error" message={purposeError} />}
            <TextAreaField
              id="emergency-reason"
              label={t('dmpPro.emergency.reason')}
              hint={t('dmpPro.emergency.reasonHint', { min: REASON_MIN, max: REASON_MAX })}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={errorFor('emergency-reason')}
              maxLength={REASON_MAX}
              required
            />
            <div className="button-group button-group--compact">
              <SubmitButton pending={pending} variant="danger">
                {t('dmpPro.emergency.submit')}
              </SubmitButton>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setOpen(false);
                  reset();
                }}
              >
                {t('common.cancel')}
              </button>
            </div>
          </form>
        )}
      </div>
    </section>
  );
}
