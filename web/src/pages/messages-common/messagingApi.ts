import { api, apiDownload } from '../../api';
import { saveBlob } from '../../download';
import type { AttachmentRef, Party } from '../../messaging-types';

/** What both inboxes share: the attachments sent ahead, downloads, and small helpers. */

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

/**
 * Sends a file from the device as the raw body (its Content-Type, its name in ?filename=) to the uploads
 * endpoint of the patient's (/api/messages/uploads) or the professional's (/api/pro/messages/uploads) inbox.
 * The patient's carries X-Acting-For, like every request about a profile.
 */
export async function uploadAttachment(space: 'patient' | 'pro', file: File): Promise<UploadAnswer> {
  const base = space === 'patient' ? '/api/messages/uploads' : '/api/pro/messages/uploads';
  return api<UploadAnswer>(`${base}?${new URLSearchParams({ filename: file.name }).toString()}`, {
    method: 'POST',
    body: file,
    contentType: file.type || 'application/octet-stream',
    acting: space === 'patient',
  });
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
