import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDelete, apiGet, apiPut, errorMessage } from '../../../api';
import { useActing } from '../../../acting';
import { CheckboxField } from '../../../components/CheckboxField';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { FieldErrorText } from '../../../components/Field';
import { Loading, QueryError } from '../../../components/QueryState';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { formatDate } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { ORGAN_DONATION_POSITIONS, type OrganDonation, type OrganDonationInput } from '../../../profile-types';
import { PROFILE_KEY } from './profileApi';

/** The input of each field the API names (position, informedRelatives, comment), and of its codes. */
const OD_INPUTS: Record<string, string> = { position: 'pf-od-position-0', informedRelatives: 'pf-od-informed', comment: 'pf-od-comment' };
const organDonationInput = (field: string): string | undefined => OD_INPUTS[field];
const organDonationCode = (code: string): string | undefined => (code.startsWith('organ-donation') ? 'pf-od-position-0' : undefined);

/**
 * "Don d'organes", on the "Entourage et volontés" page (it belongs to that section for the professionals too):
 * the patient's position (PUT /api/profile/organ-donation), whether the relatives know it, a comment.
 */
export function OrganDonationBlock({ announce }: { announce: (text: string, ok?: boolean) => void }) {
  const { t } = useTranslation();
  const { actingId } = useActing();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: [PROFILE_KEY, actingId, 'organ-donation'],
    queryFn: ({ signal }) => apiGet<{ organDonation: OrganDonation | null }>('/api/profile/organ-donation', signal),
  });
  const current = query.data?.organDonation ?? null;
  const [position, setPosition] = useState('');
  const [informed, setInformed] = useState(false);
  const [comment, setComment] = useState('');
  const [deleting, setDeleting] = useState(false);
  const form = useSubmit(organDonationCode, organDonationInput);

  // the form shows what is recorded
  useEffect(() => {
    setPosition(current?.position ?? '');
    setInformed(current?.informedRelatives ?? false);
    setComment(current?.comment ?? '');
  }, [current]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: [PROFILE_KEY, actingId] });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!position) errors.push({ field: 'pf-od-position-0', message: t('profile.organDonation.choose') });
    const body: OrganDonationInput = {
      position: position as OrganDonationInput['position'],
      informedRelatives: informed,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    };
    const ok = await form.run(errors, async () => {
      await apiPut('/api/profile/organ-donation', body);
    });
    if (ok) {
      await refresh();
      announce(t('profile.organDonation.saved'));
    }
  };

  const remove = async () => {
    if (deleting) return;
    setDeleting(true);
    try {
      await apiDelete('/api/profile/organ-donation');
      await refresh();
      announce(t('profile.organDonation.deleted'));
      window.setTimeout(() => document.getElementById('pf-od-title')?.focus(), 50);
    } catch (error) {
      announce(errorMessage(error), false);
    } finally {
      setDeleting(false);
    }
  };

  const positionError = form.errorFor('pf-od-position-0');

  return (
    <section aria-labelledby="pf-od-title" className="panel">
      <h2 id="pf-od-title" tabIndex={-1}>
        {t('profile.organDonation.title')}
      </h2>
      <p>{t('profile.organDonation.intro')}</p>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <QueryError error={query.error} />
      ) : (
        <>
          {current && <p className="meta">{t('profile.organDonation.current', { date: formatDate(current.updatedAt) })}</p>}
          <form noValidate onSubmit={onSubmit} aria-labelledby="pf-od-title">
            <ErrorSummary errors={form.errors} />
            <fieldset className={positionError ? 'field field--error' : 'field'} aria-describedby={positionError ? 'pf-od-position-error' : undefined}>
              <legend>{t('profile.organDonation.legend')}</legend>
              {positionError && <FieldErrorText id="pf-od-position-error" message={positionError} />}
              {ORGAN_DONATION_POSITIONS.map((p, i) => (
                <div key={p} className="checkbox pf-radio">
                  <input
                    id={`pf-od-position-${i}`}
                    type="radio"
                    name="pf-od-position"
                    value={p}
                    checked={position === p}
                    onChange={() => setPosition(p)}
                  />
                  <label htmlFor={`pf-od-position-${i}`}>{t(`profile.enums.organDonation.${p}`)}</label>
                </div>
              ))}
            </fieldset>
            <CheckboxField id="pf-od-informed" label={t('profile.organDonation.informed')} checked={informed} onChange={(e) => setInformed(e.target.checked)} />
            <TextAreaField
              id="pf-od-comment"
              label={`${t('profile.organDonation.comment')} ${t('profile.optional')}`}
              value={comment}
              maxLength={2000}
              onChange={(e) => setComment(e.target.value)}
              error={form.errorFor('pf-od-comment')}
            />
            <div className="button-group button-group--compact">
              <SubmitButton pending={form.pending}>{t('profile.organDonation.save')}</SubmitButton>
              {current && (
                <button type="button" className="button button--secondary" aria-disabled={deleting || undefined} onClick={() => void remove()}>
                  {t('profile.organDonation.delete')}
                </button>
              )}
            </div>
          </form>
        </>
      )}
    </section>
  );
}
