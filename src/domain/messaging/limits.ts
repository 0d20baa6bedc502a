/**
 * The size limits of a message and of a mailbox. The defaults follow common MSSanté operators' practice
 * (messages up to about 10 MB); the quota is per patient mailbox and configurable (MAIL_QUOTA_BYTES).
 */
export const LIMITS = {
  /** Attachments of one message. */
  maxAttachments: 10,
  /** All the attachments of one message together, in bytes (before base64). */
  maxAttachmentBytes: 10 * 1024 * 1024,
  /** A whole message as it comes over SMTP (the base64 of the attachments and the headers included). */
  maxMessageBytes: 15 * 1024 * 1024,
  subjectMaxLength: 250,
  bodyMaxLength: 100_000,
  /** Recipients of one message. */
  maxRecipients: 20,
} as const;

export type LimitVerdict = { ok: true } | { ok: false; code: string; reason: string };

export interface AttachmentSize {
  bytes: number;
}

/** Whether a message's attachments fit the limits and what is left of the mailbox's quota. */
export function checkAttachments(attachments: readonly AttachmentSize[], quotaLeftBytes: number): LimitVerdict {
  if (attachments.length > LIMITS.maxAttachments) {
    return { ok: false, code: 'messages.too-many-attachments', reason: `A message carries at most ${LIMITS.maxAttachments} attachments` };
  }
  const total = attachments.reduce((s, a) => s + a.bytes, 0);
  if (total > LIMITS.maxAttachmentBytes) {
    return { ok: false, code: 'messages.attachments-too-large', reason: `The attachments of a message weigh at most ${LIMITS.maxAttachmentBytes / 1024 / 1024} MB together` };
  }
  if (total > quotaLeftBytes) {
    return { ok: false, code: 'messages.quota-exceeded', reason: 'The mailbox is full: its quota would be exceeded' };
  }
  return { ok: true };
}
