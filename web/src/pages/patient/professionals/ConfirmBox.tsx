import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * An inline confirmation (the pattern of the profile closure): a titled group whose heading takes the focus
 * when it appears, the consequences, then the confirm and cancel buttons.
 */
export function ConfirmBox({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  pending = false,
  variant = 'danger',
  headingLevel: Heading = 'h4',
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  pending?: boolean;
  variant?: 'danger' | 'primary';
  headingLevel?: 'h3' | 'h4';
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  return (
    <div className="confirm" role="group" aria-labelledby={titleId}>
      <Heading id={titleId} ref={heading} tabIndex={-1}>
        {title}
      </Heading>
      {children}
      <div className="button-group button-group--compact">
        <button
          type="button"
          className={`button button--${variant}`}
          aria-disabled={pending || undefined}
          onClick={() => {
            if (!pending) onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
