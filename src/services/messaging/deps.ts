import type { MessagingConfig } from '../../config.js';
import type { Db } from '../../db/index.js';
import type { BlobStore } from '../../repo/blob-store.js';
import type { Repository } from '../../repo/index.js';
import type { Clock } from '../clock.js';
import type { DmpDeps } from '../dmp/deps.js';
import type { Mailer } from '../mail/mailer.js';

/** What the secure messaging services need (issue 7, docs/messaging.md). */
export interface MessagingDeps {
  db: Db;
  repo: Repository;
  mailer: Mailer;
  blobs: BlobStore;
  clock: Clock;
  fhirBase: string;
  config: MessagingConfig;
  /** Who runs this Carnet (the summary PDF's author). */
  operatorName: string;
  /** The shared medical record: documents attached from it and attachments filed into it. */
  dmp: DmpDeps;
}

/** Carnet's own extensions on a Communication (the MSSanté envelope a FHIR Communication has no element for). */
export const MSS_EXTENSION = {
  /** The sender's address (valueString). */
  from: 'https://carnet.example/fhir/StructureDefinition/mss-from',
  /** A To address (valueString), one extension per address. */
  to: 'https://carnet.example/fhir/StructureDefinition/mss-to',
  /** A Cc address (valueString), one extension per address. */
  cc: 'https://carnet.example/fhir/StructureDefinition/mss-cc',
  /** The conversation of the patient's mailbox (valueString, a uuid). */
  conversation: 'https://carnet.example/fhir/StructureDefinition/mss-conversation',
  /** X-MSS-MES: FIN was set (valueBoolean): the professional ended the conversation. */
  ends: 'https://carnet.example/fhir/StructureDefinition/mss-ends',
  /** Who wrote a message on the patient's behalf (valueString: their name and relation). */
  onBehalf: 'https://carnet.example/fhir/StructureDefinition/mss-on-behalf',
  /** On an attachment: the IHE XDM documents it holds, as JSON (valueString). */
  xdm: 'https://carnet.example/fhir/StructureDefinition/mss-xdm',
} as const;

/** The Message-ID identifier system (RFC 5322). */
export const MESSAGE_ID_SYSTEM = 'urn:ietf:rfc:5322';
