/**
 * The version of the fold (evolve, the state's shape) and of the persisted snapshot's form
 * (state-codec.ts, src/ledger/fold/snapshots/snapshot-record.ts). A persisted snapshot records the version that
 * wrote it, and one of any other version is ignored and rebuilt from the log: bump this whenever a
 * change to the fold or to the form could make an older snapshot say something a replay would not.
 */
export const FOLD_VERSION = 3
