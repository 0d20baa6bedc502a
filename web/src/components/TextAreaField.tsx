import type { TextareaHTMLAttributes } from 'react';
import { Field, type ControlAria } from './Field';

type AreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'aria-describedby' | 'aria-invalid'>;

export interface TextAreaFieldProps extends AreaProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
}

/** A labelled textarea with its hint and its error, linked for assistive technologies. */
export function TextAreaField({ id, label, hint, error, ...area }: TextAreaFieldProps) {
  const control = (aria: ControlAria) => <textarea id={id} {...aria} rows={3} {...area} />;
  return <Field id={id} label={label} hint={hint} error={error} control={control} />;
}
