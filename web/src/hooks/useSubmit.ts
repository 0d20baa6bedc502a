import { useCallback, useState } from 'react';
import { ApiError, errorMessage } from '../api';

/** One error of a form: about a field (its input id) or about the whole request. */
export interface FieldError {
  field?: string;
  message: string;
}

/**
 * The state of a form's submit: pending, and the errors to show (validation first, then the API's answer).
 * `run` returns true when the action succeeded. `fieldOf` names the input an API error code is about, so that
 * its message shows next to that field.
 */
export function useSubmit(fieldOf?: (code: string) => string | undefined) {
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
      const field = error instanceof ApiError && error.code ? fieldOf?.(error.code) : undefined;
      setErrors([{ ...(field ? { field } : {}), message: errorMessage(error) }]);
      return false;
    } finally {
      setPending(false);
    }
  }, [fieldOf]);

  const errorFor = (field: string): string | undefined => errors.find((e) => e.field === field)?.message;
  const reset = useCallback(() => setErrors([]), []);

  return { errors, pending, run, errorFor, reset };
}
