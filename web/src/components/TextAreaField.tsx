import type { TextareaHTMLAttributes } from 'react';
import { FieldErrorText } from './TextField';

type AreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'aria-describedby' | 'aria-invalid'>;

export interface TextAreaFieldProps extends AreaProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
}

export function TextAreaField({ id, label, hint, error, ...area }: TextAreaFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && <FieldErrorText id={errorId!} message={error} />}
      <textarea id={id} aria-describedby={described} aria-invalid={error ? true : undefined} rows={3} {...area} />
    </div>
  );
}
