import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Field } from '../../components/Field';
import { StatusMessage } from '../../components/StatusMessage';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';
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

/** Sends a search; the matches, each with the access status. */
async function search(body: unknown): Promise<AccessAnswer[]> {
  return (await api<{ matches: AccessAnswer[] }>('/api/pro/patients/search', { method: 'POST', body, acting: false })).matches ?? [];
}

/** An API error about the INS (`ins.*`) is shown next to its field. */
const insFieldOf = (code: string) => (code === 'ins.unknown-oid' ? 'pro-ins-system' : code.startsWith('ins.') ? 'pro-ins' : undefined);

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
  const { errors, pending, run, errorFor } = useSubmit(insFieldOf);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const invalid: FieldError[] = isNir(ins) ? [] : [{ field: 'pro-ins', message: t('proSpace.search.insFormat') }];
    await run(invalid, async () => onResults(await search({ ins: { value: normaliseNir(ins), ...(system ? { system } : {}) } })));
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
  const { errors, pending, run, errorFor } = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const invalid: FieldError[] = [];
    if (!family.trim())
      invalid.push({ field: 'pro-family', message: t('forms.requiredField', { label: t('proSpace.search.family') }) });
    if (!given.trim())
      invalid.push({ field: 'pro-given', message: t('forms.requiredField', { label: t('proSpace.search.given') }) });
    if (!isDate(birthDate)) invalid.push({ field: 'pro-birth', message: t('validation.date') });
    await run(invalid, async () => onResults(await search({ family: family.trim(), given: given.trim(), birthDate, ...(sex ? { sex } : {}) })));
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
