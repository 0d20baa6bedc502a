import type { InputHTMLAttributes, ReactNode } from 'react';
import { describeField, FieldErrorText } from './Field';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type' | 'aria-describedby' | 'aria-invalid'>;

export interface CheckboxFieldProps extends InputProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
}

export function CheckboxField({ id, label, hint, error, ...input }: CheckboxFieldProps) {
  const { hintId, errorId, aria } = describeField(id, hint, error);
  return (
    <div className={error ? 'field field--checkbox field--error' : 'field field--checkbox'}>
      {error && <FieldErrorText id={errorId!} message={error} />}
      <div className="checkbox">
        <input id={id} type="checkbox" {...aria} {...input} />
        <label htmlFor={id}>{label}</label>
      </div>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}
