import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, apiGet, apiPost, isStatus } from '../../api';
import { startSignIn } from '../../auth';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { StepHeading } from '../../components/StepHeading';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';
import { wasSessionExpired } from '../../session';
import { proErrorKey, ProSituationStep } from './ProSituationStep';

/**
 * /interaction/:uid: the provider's sign-in page. Patients: identifier and password, then the one-time code.
 * Professionals (`space: 'pro'` in the details: the /pro space, or practice software): Pro Santé Connect, then
 * back here with `?pro=<state>` to choose the practice situation, or with `?pro_error=<code>`.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const { uid = '' } = useParams();
  const [query] = useSearchParams();
  // Under /interaction/:uid, not /api: the provider's interaction cookie is scoped to that path.
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const interaction = useQuery({
    queryKey: ['interaction', uid],
    queryFn: ({ signal }) => apiGet<{ prompt?: unknown; space?: 'pro' | 'patient'; software?: string }>(`${base}/details`, signal),
    retry: false,
    staleTime: Infinity,
  });
  const [otpSentTo, setOtpSentTo] = useState<string | null>(null);
  const [expired] = useState(wasSessionExpired);
  const [goneWhileTyping, setGone] = useState(false);
  const proState = query.get('pro');
  const [proError, setProError] = useState<string | null>(query.get('pro_error'));
  const pro = interaction.data?.space === 'pro' || proState !== null || proError !== null;

  const gone =
    goneWhileTyping ||
    (interaction.isError &&
      (isStatus(interaction.error, 404) || isStatus(interaction.error, 410) || isInteractionGone(interaction.error)));

  return (
    <>
      <PageHeading title={pro ? t('proSignIn.title') : t('signIn.title')} />
      {expired && <p className="alert alert--info">{t('signIn.expired')}</p>}
      {gone ? (
        <>
          <p className="alert alert--error" role="alert">
            {t('signIn.interactionExpired')}
          </p>
          <button type="button" className="button button--primary" onClick={() => void startSignIn({ space: pro ? 'pro' : 'patient' })}>
            {t('signIn.restart')}
          </button>
        </>
      ) : pro && proState !== null && proError === null ? (
        <ProSituationStep base={base} state={proState} onFailed={setProError} />
      ) : pro ? (
        <ProSignIn base={base} error={proError} software={interaction.data?.software} />
      ) : interaction.isPending ? (
        <p className="loading" role="status">
          {t('common.loading')}
        </p>
      ) : otpSentTo === null ? (
        <CredentialsForm base={base} onDone={setOtpSentTo} onGone={() => setGone(true)} />
      ) : (
        <OtpForm base={base} otpSentTo={otpSentTo} onGone={() => setGone(true)} />
      )}
    </>
  );
}

/** The professionals' sign-in: a link to Pro Santé Connect (through Carnet), and why the last try failed. */
function ProSignIn({ base, error, software }: { base: string; error: string | null; software: string | undefined }) {
  const { t } = useTranslation();
  return (
    <section>
      {error !== null && (
        <div className="alert alert--error" role="alert">
          <p>
            <strong>{t('proSignIn.errorTitle')}</strong>
          </p>
          <p>{t(`proSignIn.errors.${proErrorKey(error)}`)}</p>
        </div>
      )}
      <p>{t('proSignIn.intro')}</p>
      {software && <p className="alert alert--info">{t('proSignIn.softwareIntro', { name: software })}</p>}
      <a className="button button--primary" href={`${base}/pro/start`}>
        {error !== null ? t('proSignIn.retry') : t('proSignIn.button')}
      </a>
      {!software && (
        <ul className="plain-list links">
          <li>
            <Link to="/connexion">{t('proSignIn.patientLink')}</Link>
          </li>
        </ul>
      )}
    </section>
  );
}

/** The provider forgot the interaction (expired, or already used): sign-in must start again. */
const isInteractionGone = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'session.expired';

/** Runs a request of the interaction; tells the page when the interaction is gone. */
async function interactionCall<T>(call: () => Promise<T>, onGone: () => void): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isInteractionGone(error)) onGone();
    throw error;
  }
}

function CredentialsForm({
  base,
  onDone,
  onGone,
}: {
  base: string;
  onDone: (otpSentTo: string) => void;
  onGone: () => void;
}) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!login.trim())
      errors.push({ field: 'signin-login', message: t('forms.requiredField', { label: t('fields.login') }) });
    if (!password)
      errors.push({ field: 'signin-password', message: t('forms.requiredField', { label: t('fields.password') }) });
    let sentTo = '';
    const ok = await form.run(errors, async () => {
      const answer = await interactionCall(
        () => apiPost<{ otpSentTo: string }>(`${base}/password`, { login: login.trim(), password }),
        onGone,
      );
      sentTo = answer?.otpSentTo ?? '';
    });
    if (ok) onDone(sentTo);
  };

  return (
    <section>
      <h2>{t('signIn.credentialsTitle')}</h2>
      <p>{t('signIn.intro')}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="signin-login"
          label={t('fields.login')}
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          error={form.errorFor('signin-login')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          required
        />
        <TextField
          id="signin-password"
          type="password"
          label={t('fields.password')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={form.errorFor('signin-password')}
          autoComplete="current-password"
          maxLength={128}
          required
        />
        <SubmitButton pending={form.pending}>{t('signIn.submit')}</SubmitButton>
      </form>
      <ul className="plain-list links">
        <li>
          <Link to="/mot-de-passe-oublie">{t('signIn.forgot')}</Link>
        </li>
        <li>
          <Link to="/activation">{t('signIn.noAccount')}</Link>
        </li>
      </ul>
    </section>
  );
}

function OtpForm({ base, otpSentTo, onGone }: { base: string; otpSentTo: string; onGone: () => void }) {
  const { t } = useTranslation();
  const [otp, setOtp] = useState('');
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = otp.trim() ? [] : [{ field: 'signin-otp', message: t('validation.otp') }];
    let redirectTo = '';
    const ok = await form.run(errors, async () => {
      const answer = await interactionCall(
        () => apiPost<{ redirectTo: string }>(`${base}/otp`, { otp: otp.trim() }),
        onGone,
      );
      redirectTo = answer.redirectTo;
    });
    if (ok && redirectTo) window.location.assign(redirectTo);
  };

  return (
    <section>
      <StepHeading title={t('signIn.otpTitle')} focusOnMount />
      <p>{t('signIn.otpSent', { email: otpSentTo })}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="signin-otp"
          label={t('fields.otp')}
          hint={t('fields.otpHint')}
          value={otp}
          onChange={(e) => setOtp(e.target.value)}
          error={form.errorFor('signin-otp')}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={12}
          required
        />
        <SubmitButton pending={form.pending}>{t('signIn.otpSubmit')}</SubmitButton>
      </form>
    </section>
  );
}
