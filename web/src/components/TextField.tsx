import { useTranslation } from 'react-i18next';
import type { InputHTMLAttributes, ReactNode } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-describedby' | 'aria-invalid'>;

export interface TextFieldProps extends InputProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  /** More element ids that describe the input (e.g. a checklist). */
  describedBy?: string;
  children?: ReactNode;
}

/** A labelled input with its hint and its error, linked for assistive technologies. */
export function TextField({ id, label, hint, error, describedBy, children, type = 'text', ...input }: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [hintId, errorId, describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && <FieldErrorText id={errorId!} message={error} />}
      <input id={id} type={type} aria-describedby={described} aria-invalid={error ? true : undefined} {...input} />
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
