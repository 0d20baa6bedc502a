import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiDownload, errorMessage } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { Loading, QueryError } from '../../../components/QueryState';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TableScroller } from '../../../components/TableScroller';
import { TextField } from '../../../components/TextField';
import { saveBlob } from '../../../download';
import { formatCivilDate, formatDate } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { ADMINISTRATION_TYPES, type Contact, type ProProfile, type Vaccination, type VaccinationInput } from '../../../profile-types';
import { useVaccineSearch } from '../../../hooks/useReferenceSearch';
import { todayInParis } from '../../../time';

/** /api/pro never acts for a patient profile: no X-Acting-For. */
const profileKey = (patientId: string) => ['pro', 'profile', patientId];

function useProProfile(patientId: string) {
  return useQuery({
    queryKey: profileKey(patientId),
    queryFn: ({ signal }) => api<ProProfile>(`/api/pro/patients/${encodeURIComponent(patientId)}/profile`, { signal, acting: false }),
    retry: false,
  });
}

/**
 * The allowed sections of the patient's medical profile on the professional's patient page (domain.md §2.8):
 * the vaccinations (with who entered each) and the form to record one, and "entourage et volontés" (contacts,
 * the personne de confiance, organ donation, advance directives), or the notice that the patient closed it.
 * What is shown is what the access policy lets the server read for this professional.
 */
export function ProProfilePanel({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const profile = useProProfile(patientId);
  return (
    <section aria-labelledby="pro-profile-title" className="panel">
      <h2 id="pro-profile-title">{t('profilePro.title')}</h2>
      <p className="note">{t('profilePro.intro')}</p>
      {profile.isPending ? (
        <Loading />
      ) : profile.isError ? (
        <QueryError error={profile.error} />
      ) : (
        <>
          <Vaccinations vaccinations={profile.data.vaccinations} />
          <RecordVaccination patientId={patientId} />
          <Entourage patientId={patientId} entourage={profile.data.entourage} />
        </>
      )}
    </section>
  );
}

function enteredBy(t: ReturnType<typeof useTranslation>['t'], v: Vaccination): string {
  if (v.source.kind === 'professional') return v.source.name ? `${v.source.name} (${t('profilePro.vaccinations.byProfessional')})` : t('profilePro.vaccinations.byProfessional');
  if (v.source.kind === 'app') return v.source.name ?? t('profilePro.vaccinations.byApp');
  return t('profilePro.vaccinations.byPatient');
}

function Vaccinations({ vaccinations }: { vaccinations: Vaccination[] }) {
  const { t } = useTranslation();
  return (
    <>
      <h3 id="pro-vaccinations-title">{t('profilePro.vaccinations.title')}</h3>
      {vaccinations.length === 0 ? (
        <p>{t('profilePro.vaccinations.empty')}</p>
      ) : (
        <TableScroller label={t('profilePro.vaccinations.caption')}>
          <table>
            <caption>{t('profilePro.vaccinations.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('profilePro.vaccinations.vaccine')}</th>
                <th scope="col">{t('profilePro.vaccinations.date')}</th>
                <th scope="col">{t('profilePro.vaccinations.administration')}</th>
                <th scope="col">{t('profilePro.vaccinations.lot')}</th>
                <th scope="col">{t('profilePro.vaccinations.enteredBy')}</th>
              </tr>
            </thead>
            <tbody>
              {vaccinations.map((v) => (
                <tr key={v.id}>
                  <th scope="row">
                    {v.label || v.vaccineRefId}
                    {v.diseases.length > 0 && (
                      <>
                        <br />
                        <small>{t('profilePro.vaccinations.protects', { diseases: v.diseases.join(', ') })}</small>
                      </>
                    )}
                  </th>
                  <td>{v.date ? <time dateTime={v.date}>{formatCivilDate(v.date)}</time> : '—'}</td>
                  <td>{t(`profilePro.administration.${v.administration}`)}</td>
                  <td>{v.lotNumber ?? '—'}</td>
                  <td>{enteredBy(t, v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </>
  );
}

/** The input of each field the API names about a vaccination (src/domain/profile/sections/vaccinations.ts). */
const VACCINATION_INPUTS = { vaccineRefId: 'vaccine', date: 'date', administration: 'administration', lotNumber: 'lot' } as const;

function RecordVaccination({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const prefix = useId().replace(/:/g, '');
  const ids = { search: `${prefix}-search`, vaccine: `${prefix}-vaccine`, date: `${prefix}-date`, administration: `${prefix}-administration`, lot: `${prefix}-lot` };
  const inputOfField = useCallback(
    (field: string): string | undefined => (Object.hasOwn(VACCINATION_INPUTS, field) ? `${prefix}-${VACCINATION_INPUTS[field as keyof typeof VACCINATION_INPUTS]}` : undefined),
    [prefix],
  );
  const { errors, pending, run, errorFor } = useSubmit(undefined, inputOfField);
  const [q, setQ] = useState('');
  const [vaccineRefId, setVaccineRefId] = useState('');
  const [date, setDate] = useState(todayInParis());
  const [administration, setAdministration] = useState<VaccinationInput['administration']>('IMMUNIZ');
  const [lot, setLot] = useState('');
  const [done, setDone] = useState('');
  const vaccines = useVaccineSearch(q);
  const options = vaccines.data?.vaccines ?? [];

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    setDone('');
    const invalid: FieldError[] = [];
    if (!vaccineRefId) invalid.push({ field: ids.vaccine, message: t('profilePro.record.vaccineRequired') });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) invalid.push({ field: ids.date, message: t('profilePro.record.dateInvalid') });
    else if (date > todayInParis()) invalid.push({ field: ids.date, message: t('profilePro.record.dateFuture') });
    if (lot.trim().length > 50) invalid.push({ field: ids.lot, message: t('profilePro.record.lotTooLong') });
    let recorded: Vaccination | undefined;
    const ok = await run(invalid, async () => {
      const input: VaccinationInput = { vaccineRefId, date, administration, ...(lot.trim() ? { lotNumber: lot.trim() } : {}) };
      recorded = await api<Vaccination>(`/api/pro/patients/${encodeURIComponent(patientId)}/vaccinations`, { method: 'POST', body: input, acting: false });
    });
    if (ok && recorded) {
      setDone(t('profilePro.record.done', { label: recorded.label, date: formatCivilDate(recorded.date) }));
      setVaccineRefId('');
      setQ('');
      setLot('');
      setDate(todayInParis());
      await queryClient.invalidateQueries({ queryKey: profileKey(patientId) });
    }
  };

  return (
    <>
      <h3 id={`${prefix}-title`}>{t('profilePro.record.title')}</h3>
      <StatusMessage>{done}</StatusMessage>
      <form noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby={`${prefix}-title`}>
        <ErrorSummary errors={errors} />
        <TextField id={ids.search} type="search" label={t('profilePro.record.search')} hint={t('profilePro.record.searchHint')} value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
        <Field
          id={ids.vaccine}
          label={t('profilePro.record.vaccine')}
          error={errorFor(ids.vaccine)}
          hint={vaccines.isSuccess && options.length === 0 ? t('profilePro.record.noMatch') : undefined}
          control={(aria) => (
            <select id={ids.vaccine} required {...aria} value={vaccineRefId} onChange={(e) => setVaccineRefId(e.target.value)}>
              <option value="">{t('profilePro.record.vaccineChoose')}</option>
              {options.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.label} — {v.diseases.join(', ')}
                </option>
              ))}
            </select>
          )}
        />
        <TextField id={ids.date} type="date" label={t('profilePro.record.date')} value={date} max={todayInParis()} onChange={(e) => setDate(e.target.value)} error={errorFor(ids.date)} required />
        <Field
          id={ids.administration}
          label={t('profilePro.record.administration')}
          error={errorFor(ids.administration)}
          control={(aria) => (
            <select id={ids.administration} {...aria} value={administration} onChange={(e) => setAdministration(e.target.value as VaccinationInput['administration'])}>
              {ADMINISTRATION_TYPES.map((a) => (
                <option key={a} value={a}>
                  {t(`profilePro.administration.${a}`)}
                </option>
              ))}
            </select>
          )}
        />
        <TextField id={ids.lot} label={t('profilePro.record.lot')} value={lot} maxLength={50} onChange={(e) => setLot(e.target.value)} error={errorFor(ids.lot)} autoComplete="off" />
        <SubmitButton pending={pending}>{t('profilePro.record.submit')}</SubmitButton>
      </form>
    </>
  );
}

function ContactItem({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  return (
    <li>
      <strong>
        {contact.firstName} {contact.lastName}
      </strong>{' '}
      — {t(`profilePro.kind.${contact.kind}`)}, {t(`profilePro.relation.${contact.relation}`)}
      {contact.phone && (
        <>
          <br />
          {t('profilePro.entourage.phone', { phone: contact.phone })}
        </>
      )}
      {contact.email && (
        <>
          <br />
          {t('profilePro.entourage.email', { email: contact.email })}
        </>
      )}
      {contact.address && (
        <>
          <br />
          {contact.address}
        </>
      )}
    </li>
  );
}

function Entourage({ patientId, entourage }: { patientId: string; entourage: ProProfile['entourage'] }) {
  const { t } = useTranslation();
  const [downloadError, setDownloadError] = useState('');
  const trusted = entourage.contacts.filter((c) => c.kind === 'TRUSTED_CONTACT');
  const others = entourage.contacts.filter((c) => c.kind !== 'TRUSTED_CONTACT');
  const directive = entourage.advanceDirective;

  const download = async () => {
    if (!directive) return;
    setDownloadError('');
    try {
      const got = await apiDownload(`/api/pro/patients/${encodeURIComponent(patientId)}/documents/${encodeURIComponent(directive.documentId)}/content`);
      saveBlob(got.blob, 'directives-anticipees.pdf');
    } catch (error) {
      setDownloadError(errorMessage(error));
    }
  };

  return (
    <>
      <h3>{t('profilePro.entourage.title')}</h3>
      {entourage.closed ? (
        <p className="alert">{t('profilePro.closed')}</p>
      ) : (
        <>
          <h4>{t('profilePro.entourage.trusted')}</h4>
          {trusted.length === 0 ? <p>{t('profilePro.entourage.noContacts')}</p> : <ul>{trusted.map((c) => <ContactItem key={c.id} contact={c} />)}</ul>}
          <h4>{t('profilePro.entourage.contacts')}</h4>
          {others.length === 0 ? <p>{t('profilePro.entourage.noContacts')}</p> : <ul>{others.map((c) => <ContactItem key={c.id} contact={c} />)}</ul>}
          <h4>{t('profilePro.entourage.organDonation')}</h4>
          {entourage.organDonation ? (
            <>
              <p>{t(`profilePro.position.${entourage.organDonation.position}`)}</p>
              <p>{t(entourage.organDonation.informedRelatives ? 'profilePro.entourage.informed' : 'profilePro.entourage.notInformed')}</p>
            </>
          ) : (
            <p>{t('profilePro.entourage.noOrganDonation')}</p>
          )}
          <h4>{t('profilePro.entourage.advanceDirective')}</h4>
          {directive ? (
            <>
              <p>{t('profilePro.entourage.advanceDirectiveDate', { date: formatDate(directive.date) || directive.date })}</p>
              <button type="button" className="button button--secondary" onClick={() => void download()}>
                {t('profilePro.entourage.download')}
              </button>
              {downloadError && (
                <p className="alert alert--error" role="alert">
                  {downloadError}
                </p>
              )}
            </>
          ) : (
            <p>{t('profilePro.entourage.noAdvanceDirective')}</p>
          )}
        </>
      )}
    </>
  );
}
