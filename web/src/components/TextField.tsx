import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field, type ControlAria } from './Field';

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
  const control = (aria: ControlAria) => <input id={id} type={type} {...aria} {...input} />;
  return (
    <Field id={id} label={label} hint={hint} error={error} describedBy={describedBy} control={control}>
      {children}
    </Field>
  );
}
