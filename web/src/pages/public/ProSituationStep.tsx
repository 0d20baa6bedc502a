import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, apiGet, apiPost } from '../../api';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FieldErrorText } from '../../components/Field';
import { StepHeading } from '../../components/StepHeading';
import { SubmitButton } from '../../components/SubmitButton';
import type { FieldError } from '../../hooks/useSubmit';

/** A practice situation, as /interaction/:uid/pro/situations lists it. */
export interface ProSituation {
  roleId: string;
  professionLabel?: string;
  skillLabel?: string;
  organizationName?: string;
  city?: string;
}

/** The i18n key (under proSignIn.errors) of a professional sign-in error code. */
export function proErrorKey(code: string | null | undefined): string {
  switch (code) {
    case 'pro.idp-error':
      return 'idpError';
    case 'pro.token-invalid':
      return 'tokenInvalid';
    case 'pro.acr':
      return 'acr';
    case 'pro.unknown':
      return 'unknown';
    case 'pro.disabled':
      return 'disabled';
    case 'pro.expired':
    case 'session.expired':
      return 'expired';
    case 'pro.situation-unknown':
      return 'situationUnknown';
    default:
      return 'other';
  }
}

const errorCode = (error: unknown): string | undefined => (error instanceof ApiError ? error.code : undefined);

/**
 * After Pro Santé Connect: the professional's practice situations. The only one is chosen at once; with
 * several, an accessible radio list. Then the provider's answer goes back to the application (`redirectTo`).
 * `onFailed` hands an error code to the page (an expired sign-in cannot go on).
 */
export function ProSituationStep({ base, state, onFailed }: { base: string; state: string; onFailed: (code: string) => void }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['pro-situations', base, state],
    queryFn: ({ signal }) => apiGet<{ situations: ProSituation[] }>(`${base}/pro/situations?state=${encodeURIComponent(state)}`, signal),
    retry: false,
    staleTime: Infinity,
  });
  const [selected, setSelected] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [pending, setPending] = useState(false);
  const autoPosted = useRef(false);

  const choose = async (roleId: string): Promise<void> => {
    setPending(true);
    setErrors([]);
    try {
      const { redirectTo } = await apiPost<{ redirectTo: string }>(`${base}/pro/situation`, { state, roleId });
      window.location.assign(redirectTo);
    } catch (error) {
      setPending(false);
      const code = errorCode(error);
      if (code === 'pro.situation-unknown') setErrors([{ field: 'situation-0', message: t('proSignIn.errors.situationUnknown') }]);
      else onFailed(code ?? 'other');
    }
  };

  const situations = list.data?.situations;
  // with a single situation there is nothing to choose: go on at once (once, even in strict mode)
  useEffect(() => {
    if (situations?.length === 1 && !autoPosted.current) {
      autoPosted.current = true;
      void choose(situations[0]!.roleId);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [situations]);

  useEffect(() => {
    if (list.isError) onFailed(errorCode(list.error) ?? 'other');
  }, [list.isError, list.error, onFailed]);

  if (list.isPending || list.isError) {
    return (
      <p className="loading" role="status">
        {t('proSignIn.situation.loading')}
      </p>
    );
  }
  if (!situations?.length) {
    return (
      <p className="alert alert--error" role="alert">
        {t('proSignIn.situation.none')}
      </p>
    );
  }
  if (situations.length === 1) {
    return (
      <p className="loading" role="status">
        {t('proSignIn.situation.signingIn')}
      </p>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (!selected) {
      setErrors([{ field: 'situation-0', message: t('proSignIn.situation.required') }]);
      return;
    }
    void choose(selected);
  };

  const fieldError = errors.find((e) => e.field)?.message;
  return (
    <section aria-labelledby="pro-situation-title">
      <StepHeading id="pro-situation-title" title={t('proSignIn.situation.title')} focusOnMount />
      <p>{t('proSignIn.situation.intro')}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={errors} />
        <fieldset aria-describedby={fieldError ? 'situation-error' : undefined}>
          <legend>{t('proSignIn.situation.legend')}</legend>
          {fieldError && <FieldErrorText id="situation-error" message={fieldError} />}
          {situations.map((s, i) => {
            const id = `situation-${i}`;
            const what = [s.professionLabel, s.skillLabel].filter(Boolean).join(', ');
            const where = [s.organizationName, s.city].filter(Boolean).join(', ');
            return (
              <div key={s.roleId} className="field field--checkbox">
                <div className="checkbox">
                  <input
                    id={id}
                    type="radio"
                    name="situation"
                    value={s.roleId}
                    checked={selected === s.roleId}
                    onChange={() => setSelected(s.roleId)}
                    aria-describedby={what && where ? `${id}-where` : undefined}
                  />
                  <label htmlFor={id}>
                    {what || where || s.roleId}
                    {what && where && <br />}
                    {what && where && (
                      <span id={`${id}-where`} className="hint">
                        {where}
                      </span>
                    )}
                  </label>
                </div>
              </div>
            );
          })}
        </fieldset>
        <SubmitButton pending={pending}>{t('proSignIn.situation.submit')}</SubmitButton>
      </form>
    </section>
  );
}
