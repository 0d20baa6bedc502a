import { ApiError, errorMessage } from '../../../api';
import i18n from '../../../i18n';

/** The French message of a refused upload, with the server's detail (file, line, field) when it gives one. */
export function uploadError(error: unknown): string {
  const message = errorMessage(error);
  if (error instanceof ApiError && error.code?.startsWith('reference.') && error.title) {
    return `${message} ${i18n.t('referenceAdmin.detail', { detail: error.title })}`;
  }
  return message;
}
