import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../api';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Field } from '../../components/Field';
import { StatusMessage } from '../../components/StatusMessage';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import type { FieldError } from '../../hooks/useSubmit';
import type { AccessAnswer } from '../../types';
import { isDate, isNir, normaliseNir } from '../../validation';
import { INS_SYSTEMS, proAccessText } from './access';
import { AccessResult } from './AccessResult';
import { PRO_KEY } from './usePro';

interface SearchOutcome {
  /** Increases at every search, so that the answers of a new search start afresh. */
  id: number;
  by: 'ins' | 'traits';
  matches: AccessAnswer[];
}

/** Sends a search; an API error about a field (`ins.*`, `traits.*`) is shown next to that field. */
async function search(body: unknown, fieldOf: (code: string) => string | undefined): Promise<{ matches?: AccessAnswer[]; errors?: FieldError[] }> {
  try {
    const answer = await api<{ matches: AccessAnswer[] }>('/api/pro/patients/search', { method: 'POST', body, acting: false });
    return { matches: answer.matches ?? [] };
  } catch (error) {
    const field = error instanceof ApiError && error.code ? fieldOf(error.code) : undefined;
    return { errors: [{ ...(field ? { field } : {}), message: errorMessage(error) }] };
  }
}

/** "Rechercher un patient": by INS (with its OID) or by traits; the answers say whether access is possible. */
export function PatientSearch() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<SearchOutcome | null>(null);
  const resultsTitle = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (outcome) resultsTitle.current?.focus();
  }, [outcome]);

  const show = (by: SearchOutcome['by'], matches: AccessAnswer[]) => {
    setOutcome((previous) => ({ id: (previous?.id ?? 0) + 1, by, matches }));
    void queryClient.invalidateQueries({ queryKey: [PRO_KEY, 'activity'] });
  };

  return (
    <>
      <section aria-labelledby="patient-search-title" className="panel">
        <h2 id="patient-search-title">{t('proSpace.search.title')}</h2>
        <p>{t('proSpace.search.intro')}</p>
        <InsSearchForm onResults={(m) => show('ins', m)} />
        <TraitsSearchForm onResults={(m) => show('traits', m)} />
      </section>
      <StatusMessage>
        {outcome &&
          (outcome.by === 'ins' && outcome.matches[0]
            ? t('proSpace.search.insResult', { status: proAccessText(t, outcome.matches[0]) })
            : t('proSpace.search.results', { count: outcome.matches.length }))}
      </StatusMessage>
      {outcome && (
        <section aria-labelledby="patient-results-title">
          <h2 id="patient-results-title" ref={resultsTitle} tabIndex={-1}>
            {t('proSpace.search.resultsTitle')}
          </h2>
          {outcome.matches.length === 0 ? (
            <p>{t('proSpace.search.noMatch')}</p>
          ) : (
            <ul className="plain-list">
              {outcome.matches.map((match, i) => (
                <AccessResult key={`${outcome.id}-${match.patient?.id ?? i}`} match={match} />
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}

function InsSearchForm({ onResults }: { onResults: (matches: AccessAnswer[]) => void }) {
  const { t } = useTranslation();
  const [ins, setIns] = useState('');
  const [system, setSystem] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [pending, setPending] = useState(false);
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (!isNir(ins)) {
      setErrors([{ field: 'pro-ins', message: t('proSpace.search.insFormat') }]);
      return;
    }
    setPending(true);
    const value = normaliseNir(ins);
    const answer = await search({ ins: { value, ...(system ? { system } : {}) } }, (code) =>
      code === 'ins.unknown-oid' ? 'pro-ins-system' : code.startsWith('ins.') ? 'pro-ins' : undefined,
    );
    setPending(false);
    setErrors(answer.errors ?? []);
    if (answer.matches) onResults(answer.matches);
  };

  return (
    <div className="subform">
      <h3 id="pro-ins-title">{t('proSpace.search.insTitle')}</h3>
      <form noValidate onSubmit={onSubmit} role="search" aria-labelledby="pro-ins-title">
        <ErrorSummary errors={errors} />
        <TextField
          id="pro-ins"
          label={t('proSpace.search.ins')}
          hint={t('proSpace.search.insHint')}
          value={ins}
          onChange={(e) => setIns(e.target.value)}
          error={errorFor('pro-ins')}
          autoComplete="off"
          spellCheck={false}
          maxLength={21}
          required
        />
        <Field
          id="pro-ins-system"
          label={t('proSpace.search.oid')}
          hint={t('proSpace.search.oidHint')}
          error={errorFor('pro-ins-system')}
          control={(aria) => (
            <select id="pro-ins-system" {...aria} value={system} onChange={(e) => setSystem(e.target.value)}>
              <option value="">{t('proSpace.search.insTypes.auto')}</option>
              {INS_SYSTEMS.map((s) => (
                <option key={s.key} value={s.system}>
                  {t(`proSpace.search.insTypes.${s.key}`)}
                </option>
              ))}
            </select>
          )}
        />
        <SubmitButton pending={pending}>{t('proSpace.search.insSubmit')}</SubmitButton>
      </form>
    </div>
  );
}

function TraitsSearchForm({ onResults }: { onResults: (matches: AccessAnswer[]) => void }) {
  const { t } = useTranslation();
  const [family, setFamily] = useState('');
  const [given, setGiven] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [sex, setSex] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [pending, setPending] = useState(false);
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const invalid: FieldError[] = [];
    if (!family.trim())
      invalid.push({ field: 'pro-family', message: t('forms.requiredField', { label: t('proSpace.search.family') }) });
    if (!given.trim())
      invalid.push({ field: 'pro-given', message: t('forms.requiredField', { label: t('proSpace.search.given') }) });
    if (!isDate(birthDate)) invalid.push({ field: 'pro-birth', message: t('validation.date') });
    if (invalid.length > 0) {
      setErrors(invalid);
      return;
    }
    setPending(true);
    const answer = await search(
      { family: family.trim(), given: given.trim(), birthDate, ...(sex ? { sex } : {}) },
      () => undefined,
    );
    setPending(false);
    setErrors(answer.errors ?? []);
    if (answer.matches) onResults(answer.matches);
  };

  return (
    <div className="subform">
      <h3 id="pro-traits-title">{t('proSpace.search.traitsTitle')}</h3>
      <form noValidate onSubmit={onSubmit} role="search" aria-labelledby="pro-traits-title">
        <ErrorSummary errors={errors} />
        <TextField
          id="pro-family"
          label={t('proSpace.search.family')}
          value={family}
          onChange={(e) => setFamily(e.target.value)}
          error={errorFor('pro-family')}
          autoComplete="off"
          maxLength={100}
          required
        />
        <TextField
          id="pro-given"
          label={t('proSpace.search.given')}
          value={given}
          onChange={(e) => setGiven(e.target.value)}
          error={errorFor('pro-given')}
          autoComplete="off"
          maxLength={100}
          required
        />
        <TextField
          id="pro-birth"
          type="date"
          label={t('proSpace.search.birthDate')}
          value={birthDate}
          onChange={(e) => setBirthDate(e.target.value)}
          error={errorFor('pro-birth')}
          autoComplete="off"
          required
        />
        <Field
          id="pro-sex"
          label={t('proSpace.search.sex')}
          control={(aria) => (
            <select id="pro-sex" {...aria} value={sex} onChange={(e) => setSex(e.target.value)}>
              <option value="">{t('proSpace.search.sexes.any')}</option>
              <option value="F">{t('proSpace.search.sexes.F')}</option>
              <option value="M">{t('proSpace.search.sexes.M')}</option>
              <option value="I">{t('proSpace.search.sexes.I')}</option>
            </select>
          )}
        />
        <SubmitButton pending={pending}>{t('proSpace.search.traitsSubmit')}</SubmitButton>
      </form>
    </div>
  );
}
