import { useTranslation } from 'react-i18next';
import { startSignIn } from '../../../auth';
import { ActivationStepHeading } from './ActivationProgress';

/** Step 4: the account is active. */
export function DoneStep({ login }: { login: string }) {
  const { t } = useTranslation();
  return (
    <section className="panel panel--success">
      <ActivationStepHeading step={4} title={t('activation.steps.done')} />
      <p>{t('activation.doneText', { login })}</p>
      <button type="button" className="button button--primary" onClick={() => void startSignIn()}>
        {t('common.signIn')}
      </button>
    </section>
  );
}
