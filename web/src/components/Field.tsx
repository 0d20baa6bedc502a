import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';

/** What links a control to its hint and its error for assistive technologies. */
export interface ControlAria {
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/** The ids of a field's hint and error (`<id>-hint`, `<id>-error`) and the attributes of its control. */
export function describeField(id: string, hint: ReactNode, error: string | undefined, describedBy?: string) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const aria: ControlAria = {
    'aria-describedby': [hintId, errorId, describedBy].filter(Boolean).join(' ') || undefined,
    'aria-invalid': error ? true : undefined,
  };
  return { hintId, errorId, aria };
}

/** A label, then the hint and the error, then the control (given its ARIA attributes), then any children. */
export function Field({
  id,
  label,
  hint,
  error,
  describedBy,
  control,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  /** More element ids that describe the control (e.g. a checklist). */
  describedBy?: string;
  control: (aria: ControlAria) => ReactNode;
  children?: ReactNode;
}) {
  const { hintId, errorId, aria } = describeField(id, hint, error, describedBy);
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && <FieldErrorText id={errorId!} message={error} />}
      {control(aria)}
      {children}
    </div>
  );
}

export function FieldErrorText({ id, message }: { id: string; message: string }) {
  const { t } = useTranslation();
  return (
    <p id={id} className="field-error">
      <span className="visually-hidden">{t('forms.errorPrefix')}</span>
      {message}
    </p>
  );
}
