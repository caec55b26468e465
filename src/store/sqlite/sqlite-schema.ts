import type Database from 'better-sqlite3'
import { applyTreeSchema } from '../merkle/tree/sqlite-tree'
import { applyOpeningIndex } from './sqlite-opening-index'
import { applyStreamIndex } from './sqlite-stream-index'

/**
 * The events table of the SQLite store and what the database itself refuses. Applied by every
 * writer when it opens the file: CREATE … IF NOT EXISTS, so a file written by an older version gets
 * the triggers and guard it lacks, and applying it twice changes nothing.
 *
 * What the file refuses, whoever issues the statement:
 * - UPDATE of an event row, DELETE of one (triggers);
 * - an INSERT that would land on an existing event: REPLACE INTO / INSERT OR REPLACE delete the
 *   conflicting row without firing DELETE triggers (recursive_triggers is off by default), so a
 *   BEFORE INSERT trigger refuses any row whose id, (stream, revision) or position is taken;
 * - DROP TABLE events, when foreign keys are enforced (better-sqlite3's default, and this store's
 *   connections; the sqlite3 shell's default is off). SQLite has no DDL triggers, but with foreign
 *   keys on, DROP TABLE first deletes every row, and that delete fails on a row still referenced.
 *   The guard is two tables referencing each other and the first event of the log, so neither
 *   guard table can be dropped first either. UPDATE and DELETE of the guard rows are refused too.
 * Someone holding the file can still turn foreign keys off, drop the triggers, or edit the bytes:
 * that is what the hash chains (verify) and an offline digest are for. A DROP with foreign keys off
 * leaves the guard behind, still naming the first event: see firstEventMissing.
 */

/**
 * The idempotency key of an event, for the index that finds a repeated request's events. Guarded by
 * json_valid: metadata damaged in the file must not make the file impossible to open, or verify
 * impossible to run (verify names the damage instead).
 */
export const IDEMPOTENCY_KEY = "iif(json_valid(metadata), json_extract(metadata, '$.idempotencyKey'), NULL)"

/** Seals the first event of the log into the guard; the same statements serve the trigger and the upgrade of an older file. */
const SEAL_FIRST_EVENT = `
  INSERT INTO events_drop_guard_peer (id, guard) VALUES (1, NULL);
  INSERT INTO events_drop_guard (position, peer) VALUES ((SELECT min(position) FROM events), 1);
  UPDATE events_drop_guard_peer SET guard = (SELECT position FROM events_drop_guard) WHERE id = 1;`

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  id        TEXT    NOT NULL UNIQUE,
  stream    TEXT    NOT NULL,
  revision  INTEGER NOT NULL CHECK (revision >= 0),
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  UNIQUE (stream, revision)
);
CREATE INDEX IF NOT EXISTS events_idempotency_key ON events (stream, ${IDEMPOTENCY_KEY}) WHERE ${IDEMPOTENCY_KEY} IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM events WHERE stream = NEW.stream AND revision = NEW.revision)
  OR EXISTS (SELECT 1 FROM events WHERE position = NEW.position)
BEGIN SELECT RAISE(ABORT, 'events are append-only: an insert over an existing event (REPLACE) refused'); END;

CREATE TABLE IF NOT EXISTS events_drop_guard (
  position INTEGER PRIMARY KEY REFERENCES events (position),
  peer     INTEGER NOT NULL REFERENCES events_drop_guard_peer (id)
);
CREATE TABLE IF NOT EXISTS events_drop_guard_peer (
  id    INTEGER PRIMARY KEY,
  guard INTEGER REFERENCES events_drop_guard (position)
);
CREATE TRIGGER IF NOT EXISTS events_drop_guard_update BEFORE UPDATE ON events_drop_guard
BEGIN SELECT RAISE(ABORT, 'the guard of the events table is fixed: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_drop_guard_delete BEFORE DELETE ON events_drop_guard
BEGIN SELECT RAISE(ABORT, 'the guard of the events table is fixed: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_drop_guard_peer_update BEFORE UPDATE ON events_drop_guard_peer WHEN OLD.guard IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the guard of the events table is fixed: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_drop_guard_peer_delete BEFORE DELETE ON events_drop_guard_peer
BEGIN SELECT RAISE(ABORT, 'the guard of the events table is fixed: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_seal_first AFTER INSERT ON events WHEN NOT EXISTS (SELECT 1 FROM events_drop_guard)
BEGIN ${SEAL_FIRST_EVENT}
END;
`

/** Creates or upgrades the schema, the Merkle tree's included; for a writer, in one IMMEDIATE transaction so that two openers agree (and wait for each other). */
export const applySchema = (db: Database.Database): void => {
  db.pragma('foreign_keys = ON')
  db.transaction(() => {
    db.exec(SCHEMA)
    applyStreamIndex(db)
    applyOpeningIndex(db)
    applyTreeSchema(db)
    const unsealed = db.prepare('SELECT EXISTS (SELECT 1 FROM events) AND NOT EXISTS (SELECT 1 FROM events_drop_guard) AS yes').get() as { yes: number }
    if (unsealed.yes) db.exec(SEAL_FIRST_EVENT)
  }).immediate()
}

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined

/** For a reader, which changes nothing: the file must hold an events table. */
export const hasEventsTable = (db: Database.Database): boolean => hasTable(db, 'events')

/** The first event the guard sealed, which the log no longer holds. */
export interface FirstEventMissing {
  readonly position: number
  /** What happened, in words. */
  readonly detail: string
}

/**
 * Whether the log still holds the first event the guard sealed. With foreign keys off, DROP TABLE
 * events goes through and leaves the guard behind, and a writer's CREATE … IF NOT EXISTS would then
 * start an empty log in its place that verifies as intact: the guard is what remembers there was
 * one. Reads only; undefined when the event is there or nothing was ever sealed.
 */
export const firstEventMissing = (db: Database.Database): FirstEventMissing | undefined => {
  if (!hasTable(db, 'events_drop_guard')) return undefined
  const guard = db.prepare('SELECT position FROM events_drop_guard').get() as { position: number } | undefined
  if (guard === undefined) return undefined
  const table = hasEventsTable(db)
  if (table && db.prepare('SELECT 1 FROM events WHERE position = ?').get(guard.position) !== undefined) return undefined
  const what = table ? 'its events were deleted (or the events table dropped and re-created)' : 'the events table was dropped'
  return { position: guard.position, detail: `the log's first event (position ${guard.position}) is missing: ${what}` }
}
