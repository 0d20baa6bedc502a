import { expect } from 'vitest';
import { AppError } from '../../src/errors.js';

/** Runs fn and returns the AppError it throws (failing the test if it throws anything else, or nothing). */
export function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}
