import { useCallback, useState } from 'react';
import { ApiError, codeMessage, errorMessage } from '../api';

/** One error of a form: about a field (its input id) or about the whole request. */
export interface FieldError {
  field?: string;
  message: string;
}

/** Names the input (its id) an API error code, or an API field name (problem+json `fields`), is about. */
export type InputOf = (name: string) => string | undefined;

/**
 * The errors an API refusal shows: one per field the API names (problem+json `fields`) that `inputOfField`
 * knows, with the translated code's message (or the server's title); otherwise at the input `inputOfCode`
 * names for the code; otherwise one error about the whole request.
 */
export function apiErrorsOf(error: unknown, inputOfCode?: InputOf, inputOfField?: InputOf): FieldError[] {
  const message = errorMessage(error);
  if (error instanceof ApiError) {
    if (inputOfField && error.fields.length > 0) {
      const fieldMessage = codeMessage(error) ?? error.title ?? message;
      const inputs = [...new Set(error.fields.map(inputOfField).filter((f): f is string => Boolean(f)))];
      if (inputs.length > 0) return inputs.map((field) => ({ field, message: fieldMessage }));
    }
    const field = error.code ? inputOfCode?.(error.code) : undefined;
    if (field) return [{ field, message }];
  }
  return [{ message }];
}

/**
 * The state of a form's submit: pending, and the errors to show (validation first, then the API's answer).
 * `run` returns true when the action succeeded. `fieldOf` names the input an API error code is about, and
 * `inputOfField` the input of an API field name, so that each message shows next to its field (see
 * apiErrorsOf). Pass stable functions (module constants or useCallback): they are dependencies of `run`.
 */
export function useSubmit(fieldOf?: InputOf, inputOfField?: InputOf) {
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [pending, setPending] = useState(false);

  const run = useCallback(async (validation: FieldError[], action: () => Promise<void>): Promise<boolean> => {
    if (validation.length > 0) {
      setErrors(validation);
      return false;
    }
    setPending(true);
    setErrors([]);
    try {
      await action();
      return true;
    } catch (error) {
      setErrors(apiErrorsOf(error, fieldOf, inputOfField));
      return false;
    } finally {
      setPending(false);
    }
  }, [fieldOf, inputOfField]);

  const errorFor = (field: string): string | undefined => errors.find((e) => e.field === field)?.message;
  const reset = useCallback(() => setErrors([]), []);

  return { errors, pending, run, errorFor, reset };
}
