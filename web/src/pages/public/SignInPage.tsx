import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, apiGet, apiPost, isStatus } from '../../api';
import { startSignIn } from '../../auth';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { StepHeading } from '../../components/StepHeading';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';
import { wasSessionExpired } from '../../session';

/** /interaction/:uid: the provider's sign-in page (identifier and password, then the one-time code). */
export function SignInPage() {
  const { t } = useTranslation();
  const { uid = '' } = useParams();
  // Under /interaction/:uid, not /api: the provider's interaction cookie is scoped to that path.
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const interaction = useQuery({
    queryKey: ['interaction', uid],
    queryFn: ({ signal }) => apiGet<{ prompt?: unknown }>(`${base}/details`, signal),
    retry: false,
    staleTime: Infinity,
  });
  const [otpSentTo, setOtpSentTo] = useState<string | null>(null);
  const [expired] = useState(wasSessionExpired);
  const [goneWhileTyping, setGone] = useState(false);

  const gone =
    goneWhileTyping ||
    (interaction.isError &&
      (isStatus(interaction.error, 404) || isStatus(interaction.error, 410) || isInteractionGone(interaction.error)));

  return (
    <>
      <PageHeading title={t('signIn.title')} />
      {expired && <p className="alert alert--info">{t('signIn.expired')}</p>}
      {gone ? (
        <>
          <p className="alert alert--error" role="alert">
            {t('signIn.interactionExpired')}
          </p>
          <button type="button" className="button button--primary" onClick={() => void startSignIn()}>
            {t('signIn.restart')}
          </button>
        </>
      ) : otpSentTo === null ? (
        <CredentialsForm base={base} onDone={setOtpSentTo} onGone={() => setGone(true)} />
      ) : (
        <OtpForm base={base} otpSentTo={otpSentTo} onGone={() => setGone(true)} />
      )}
    </>
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
