import { useEffect, useId, useRef } from 'react';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../hooks/useSubmit';

/** The errors of a failed submit, announced and focused; each field error links to its field. */
export function ErrorSummary({ errors }: { errors: FieldError[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();

  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
  }, [errors]);

  if (errors.length === 0) return null;

  const focusField = (event: MouseEvent<HTMLAnchorElement>, field: string) => {
    const element = document.getElementById(field);
    if (element) {
      event.preventDefault();
      element.focus();
    }
  };

  return (
    <div ref={ref} className="error-summary" role="alert" tabIndex={-1} aria-labelledby={titleId}>
      <p id={titleId} className="error-summary__title">
        {errors.some((e) => e.field) ? t('forms.errorSummaryFields') : t('forms.errorSummaryRequest')}
      </p>
      <ul>
        {errors.map((error, i) => (
          <li key={`${error.field ?? ''}-${i}`}>
            {error.field ? (
              <a href={`#${error.field}`} onClick={(e) => focusField(e, error.field!)}>
                {error.message}
              </a>
            ) : (
              error.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
