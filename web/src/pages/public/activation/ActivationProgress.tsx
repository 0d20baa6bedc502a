import { useTranslation } from 'react-i18next';
import { useEffect, useRef } from 'react';

export const ACTIVATION_STEPS = 3;

/**
 * The step's h2 with its counter ("Étape n sur 3"), read with the heading by screen readers, and a bar
 * for sighted users. It takes the focus when a later step appears.
 */
export function ActivationStepHeading({ step, title }: { step: number; title: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (step > 1) ref.current?.focus();
  }, [step]);
  const inProgress = step <= ACTIVATION_STEPS;
  return (
    <div className="progress">
      {inProgress && (
        <div className="progress__bar" aria-hidden="true">
          {Array.from({ length: ACTIVATION_STEPS }, (_, i) => (
            <span key={i} className={i < step ? 'progress__segment progress__segment--done' : 'progress__segment'} />
          ))}
        </div>
      )}
      <h2 ref={ref} tabIndex={-1}>
        {inProgress && (
          <span className="progress__counter">
            {t('activation.progress', { step, total: ACTIVATION_STEPS })}
            <span className="visually-hidden"> : </span>
          </span>
        )}
        {title}
      </h2>
    </div>
  );
}
