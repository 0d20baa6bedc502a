import type { Config } from '../../config.js';
import type { Db } from '../../db/index.js';
import type { Repository } from '../../repo/index.js';
import type { Clock } from '../clock.js';
import type { Mailer } from '../mail/mailer.js';

/** What the account services share: the store, the repository (for FHIR data), the clock and the mailer. */
export interface AccountsDeps {
  db: Db;
  repo: Repository;
  clock: Clock;
  mailer: Mailer;
  config: Config;
  /** Server secret keying the hashes of codes. */
  pepper: string;
}

/** The administrative row of an insured person (table insured). */
export interface InsuredRow {
  id: string;
  nir: string;
  ins_oid: string;
  birth_name: string;
  first_given_name: string;
  given_names: string;
  used_name: string | null;
  birth_date: string;
  sex: 'M' | 'F' | 'I';
  birth_place: string;
  vitale_serial: string | null;
  email: string | null;
  phone: string | null;
  address: { line: string; postalCode: string; city: string } | null;
  covered_by_nir: string | null;
  state: string;
  state_since: Date;
  due_at: Date | null;
  notice_channel: 'email' | 'letter' | null;
  objection_ref: string | null;
  objection_channel: 'online' | 'phone' | null;
  delete_requested: boolean;
}

export const INSURED_COLUMNS = `id, nir, ins_oid, birth_name, first_given_name, given_names, used_name,
  to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, birth_place, vitale_serial, email, phone, address,
  covered_by_nir, state, state_since, due_at, notice_channel, objection_ref, objection_channel, delete_requested`;
