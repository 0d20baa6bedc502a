-- Instant messaging between health professionals (docs/chat.md): rooms of two or more professionals, optionally
-- about one patient, their members and their messages. Messages are numbered per room (seq, from 1, no gap), so
-- that a client that lost its connection asks for "everything after seq N" and misses nothing. Keys are UUIDs and
-- per-room numbers, never a sequence spanning rooms: the three tables are distributed on room_id (Citus).
-- The messages of a room about a patient are health data: Carnet serves them only after the access policy has
-- allowed the member to read that patient's record, and audits each read and post in the record.

CREATE TABLE chat_room (
  id          uuid        PRIMARY KEY,
  title       text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
  -- the patient the room is about (Patient id), or null
  patient_id  text,
  created_by  text        NOT NULL,  -- directory_practitioner.id
  created_at  timestamptz NOT NULL,
  -- the seq of the room's last message (0: none yet); incremented under the row's lock by each post
  last_seq    bigint      NOT NULL DEFAULT 0,
  last_at     timestamptz
);
CREATE INDEX chat_room_by_patient ON chat_room (patient_id) WHERE patient_id IS NOT NULL;

CREATE TABLE chat_member (
  room_id         uuid        NOT NULL,
  practitioner_id text        NOT NULL,  -- directory_practitioner.id
  joined_at       timestamptz NOT NULL,
  added_by        text        NOT NULL,
  -- the member has read every message up to this seq
  last_read_seq   bigint      NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, practitioner_id)
);
CREATE INDEX chat_member_by_practitioner ON chat_member (practitioner_id, room_id);

CREATE TABLE chat_message (
  room_id   uuid        NOT NULL,
  seq       bigint      NOT NULL CHECK (seq > 0),
  id        uuid        NOT NULL,
  author_id text        NOT NULL,  -- directory_practitioner.id
  body      text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
  sent_at   timestamptz NOT NULL,
  PRIMARY KEY (room_id, seq)
);

-- Single-use tickets that open the WebSocket (browsers cannot send an Authorization header on it): issued to a
-- signed-in professional, valid 60 seconds, stored hashed. In a table rather than in memory so that the ticket
-- works on whichever process the load balancer sends the WebSocket to.
CREATE TABLE chat_ticket (
  ticket_hash     text        PRIMARY KEY,
  practitioner_id text        NOT NULL,
  user_id         text        NOT NULL,
  expires_at      timestamptz NOT NULL
);
CREATE INDEX chat_ticket_expiry ON chat_ticket (expires_at);
