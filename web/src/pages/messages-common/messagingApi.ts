import { ApiError, apiDownload } from '../../api';
import { handleUnauthorized } from '../../auth';
import { saveBlob } from '../../download';
import { getAccessToken, getActingFor } from '../../session';
import type { AttachmentRef, Party } from '../../messaging-types';

/** Requests of both inboxes that api.ts does not make (raw uploads), and small helpers. */

export const PATIENT_MESSAGES_KEY = 'messages';
export const PRO_MESSAGES_KEY = 'pro-messages';

/** A message's attachments, as the API limits them (src/domain/messaging/limits.ts). */
export const MAX_ATTACHMENTS = 10;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const SUBJECT_MAX = 250;
export const TEXT_MAX = 100_000;

export interface UploadAnswer {
  uploadId: string;
  filename: string;
  contentType: string;
  size: number;
}

async function problemOf(response: Response, signedIn: boolean): Promise<ApiError> {
  let title: string | undefined;
  let code: string | undefined;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      const problem = (await response.json()) as { title?: unknown; code?: unknown };
      if (typeof problem.title === 'string') title = problem.title;
      if (typeof problem.code === 'string') code = problem.code;
    } catch {
      // not JSON: the status says enough
    }
  }
  if (response.status === 401 && signedIn) handleUnauthorized();
  return new ApiError(response.status, title, code);
}

/**
 * Sends a file from the device as the raw body (its Content-Type, its name in ?filename=) to the uploads
 * endpoint of the patient's (/api/messages/uploads) or the professional's (/api/pro/messages/uploads) inbox.
 * The patient's carries X-Acting-For, like every request about a profile.
 */
export async function uploadAttachment(space: 'patient' | 'pro', file: File): Promise<UploadAnswer> {
  const base = space === 'patient' ? '/api/messages/uploads' : '/api/pro/messages/uploads';
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' };
  const token = getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const acting = getActingFor();
  if (space === 'patient' && token && acting) headers['X-Acting-For'] = acting;
  const response = await fetch(`${base}?${new URLSearchParams({ filename: file.name }).toString()}`, {
    method: 'POST',
    headers,
    body: file,
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problemOf(response, Boolean(token));
  return (await response.json()) as UploadAnswer;
}

/** Downloads an attachment with the token and saves it under its name. */
export async function downloadAttachment(path: string, filename: string): Promise<void> {
  const file = await apiDownload(path);
  saveBlob(file.blob, file.fileName ?? filename);
}

/** "Nom <adresse>" for screen and lists. */
export const partyText = (p: Party): string => (p.display && p.display !== p.address ? `${p.display} <${p.address}>` : p.address);

export const partyNames = (parties: Party[]): string => parties.map((p) => p.display || p.address).join(', ');

/** One attachment being prepared: what is sent, and what is shown. */
export interface ChosenAttachment {
  key: string;
  label: string;
  size?: number;
  ref: AttachmentRef;
}
