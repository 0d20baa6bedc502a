import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeading } from '../../components/PageHeading';
import { AccountStep } from './activation/AccountStep';
import { DoneStep } from './activation/DoneStep';
import { EmailStep } from './activation/EmailStep';
import { IdentityStep, type StartedActivation } from './activation/IdentityStep';
import { ResendCodePage } from './ResendCodePage';

type Step =
  | { name: 'identity' }
  | { name: 'account'; activation: StartedActivation }
  | { name: 'email'; activation: StartedActivation; otpSentTo: string }
  | { name: 'done'; login: string };

/** /activation: identity, identifiers, e-mail check, done; /activation?nouveau-code: a new code provisoire. */
export function ActivationPage() {
  const [params] = useSearchParams();
  return params.has('nouveau-code') ? <ResendCodePage /> : <ActivationSteps />;
}

function ActivationSteps() {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>({ name: 'identity' });

  return (
    <>
      <PageHeading title={t('activation.title')} />
      {step.name === 'identity' && <IdentityStep onDone={(activation) => setStep({ name: 'account', activation })} />}
      {step.name === 'account' && (
        <AccountStep
          activation={step.activation}
          onDone={(otpSentTo) => setStep({ name: 'email', activation: step.activation, otpSentTo })}
        />
      )}
      {step.name === 'email' && (
        <EmailStep
          activationId={step.activation.activationId}
          otpSentTo={step.otpSentTo}
          onDone={(login) => setStep({ name: 'done', login })}
        />
      )}
      {step.name === 'done' && <DoneStep login={step.login} />}
    </>
  );
}
