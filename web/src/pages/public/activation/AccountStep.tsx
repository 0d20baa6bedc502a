import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiGet, apiPost, errorMessage } from '../../../api';
import { CheckboxField } from '../../../components/CheckboxField';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { PasswordField } from '../../../components/PasswordField';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { isEmail, isLogin, isStrongPassword } from '../../../validation';
import { ActivationStepHeading } from './ActivationProgress';
import type { StartedActivation } from './IdentityStep';

interface Availability {
  login: string;
  available: boolean;
  suggestions: string[];
}

/** Step 2: identifier (with its availability), password, e-mail and the terms of use. */
export function AccountStep({
  activation,
  onDone,
}: {
  activation: StartedActivation;
  onDone: (otpSentTo: string) => void;
}) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [terms, setTerms] = useState(false);
  const [availability, setAvailability] = useState<Availability | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const form = useSubmit();
  const base = `/api/activation/${encodeURIComponent(activation.activationId)}`;

  const checkLogin = async () => {
    setCheckError(null);
    setAvailability(null);
    if (!isLogin(login)) {
      setCheckError(t('validation.login'));
      return;
    }
    try {
      const answer = await apiGet<{ available: boolean; suggestions?: string[] }>(
        `${base}/login-available?login=${encodeURIComponent(login)}`,
      );
      setAvailability({ login, available: answer.available, suggestions: answer.suggestions ?? [] });
    } catch (error) {
      setCheckError(errorMessage(error));
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!isLogin(login)) errors.push({ field: 'activation-login', message: t('validation.login') });
    if (!isStrongPassword(password)) errors.push({ field: 'activation-password', message: t('validation.password') });
    if (!isEmail(email)) errors.push({ field: 'activation-email', message: t('validation.email') });
    if (!terms) errors.push({ field: 'activation-terms', message: t('validation.terms') });
    let otpSentTo = '';
    const ok = await form.run(errors, async () => {
      const answer = await apiPost<{ otpSentTo: string }>(`${base}/account`, {
        login,
        password,
        email: email.trim(),
        acceptTerms: true,
      });
      otpSentTo = answer?.otpSentTo ?? email.trim();
    });
    if (ok) onDone(otpSentTo);
  };

  const shown = availability && availability.login === login ? availability : null;

  return (
    <section>
      <ActivationStepHeading step={2} title={t('activation.steps.account')} />
      <p>{t('activation.welcome', { givenName: activation.givenName, familyName: activation.familyName })}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="activation-login"
          label={t('fields.login')}
          hint={t('activation.loginHint')}
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          error={form.errorFor('activation-login')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          required
        >
          <button type="button" className="button button--secondary button--small" onClick={checkLogin}>
            {t('activation.checkLogin')}
          </button>
          <StatusMessage>
            {checkError && <span className="text-error">{checkError}</span>}
            {shown?.available && <span className="text-success">{t('activation.loginAvailable')}</span>}
            {shown && !shown.available && <span className="text-error">{t('activation.loginTaken')}</span>}
          </StatusMessage>
          {shown && !shown.available && shown.suggestions.length > 0 && (
            <div className="suggestions">
              <p>{t('activation.suggestions')}</p>
              <ul className="plain-list">
                {shown.suggestions.map((suggestion) => (
                  <li key={suggestion}>
                    <button
                      type="button"
                      className="button button--link"
                      onClick={() => {
                        setLogin(suggestion);
                        setAvailability({ login: suggestion, available: true, suggestions: [] });
                        document.getElementById('activation-login')?.focus();
                      }}
                    >
                      {t('activation.useSuggestion', { login: suggestion })}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </TextField>
        <PasswordField
          id="activation-password"
          label={t('fields.password')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={form.errorFor('activation-password')}
          maxLength={128}
          required
        />
        <TextField
          id="activation-email"
          type="email"
          label={t('fields.email')}
          hint={t('activation.emailHint')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={form.errorFor('activation-email')}
          autoComplete="email"
          maxLength={254}
          required
        />
        <p className="terms-text">{t('activation.termsText')}</p>
        <CheckboxField
          id="activation-terms"
          label={t('activation.terms')}
          checked={terms}
          onChange={(e) => setTerms(e.target.checked)}
          error={form.errorFor('activation-terms')}
          required
        />
        <SubmitButton pending={form.pending}>{t('activation.createAccount')}</SubmitButton>
      </form>
    </section>
  );
}
