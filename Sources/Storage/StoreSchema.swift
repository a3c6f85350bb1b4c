import GRDB

/// The versioned schema. Each migration runs once, in order, inside its own transaction;
/// GRDB records applied ones in `grdb_migrations`. Never edit a shipped migration: add one.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // One row per event. The rowid stays the physical key (cheap appends); the ULID `id`
            // is unique and orders pages (ULIDs sort by time). The typed columns come first and
            // the two blobs last, so reading the typed columns never walks the blobs.
            try db.execute(sql: """
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    timestamp INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    dataset TEXT,
                    severity INTEGER,
                    title TEXT,
                    source_ip TEXT,
                    destination_ip TEXT,
                    user_name TEXT,
                    host_name TEXT,
                    external_id TEXT,
                    status TEXT,
                    alert_id INTEGER,
                    document BLOB NOT NULL,
                    original BLOB NOT NULL
                );
                CREATE UNIQUE INDEX events_id ON events(id);
                -- A sender's own id, scoped by source, makes its retries idempotent.
                CREATE UNIQUE INDEX events_external ON events(source, external_id)
                    WHERE external_id IS NOT NULL;
                -- Time-range queries. Timestamps are mostly "now", so inserts land at the index's
                -- right edge and stay cheap (~13% of append throughput, measured).
                CREATE INDEX events_timestamp ON events(timestamp);
                -- No indexes on source_ip / destination_ip / host_name / user_name: with all four,
                -- bulk append fell from ~80k to ~40k events/s (StorageBench, 16 KiB pages), because
                -- their keys are random and every batch dirties pages all over them. Filters on
                -- those columns walk the id index newest first and stop at the page limit; add
                -- indexes in a later migration if such queries over old data become common.

                CREATE TABLE alerts (
                    id INTEGER PRIMARY KEY,
                    fingerprint TEXT NOT NULL,
                    first_event_id TEXT NOT NULL,
                    last_event_id TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    severity INTEGER,
                    status TEXT,
                    title TEXT,
                    source TEXT NOT NULL
                );
                -- The writer looks up the latest alert of a fingerprint once after a restart.
                CREATE INDEX alerts_fingerprint ON alerts(fingerprint, last_seen);

                CREATE TABLE idempotency (
                    key TEXT PRIMARY KEY,
                    status INTEGER NOT NULL,
                    content_type TEXT NOT NULL,
                    body BLOB NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX idempotency_created ON idempotency(created_at);

                CREATE TABLE tokens (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    secret_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER,
                    last_used_at INTEGER
                );
                """)
        }
        migrator.registerMigration("v2-detections") { db in
            // Records are kept as the JSON the API serves, with the columns its filters need.
            // The unique (detector, first event) pair is a second guard against running the same
            // event twice; the checkpoint committed with each batch is the first.
            try db.execute(sql: """
                CREATE TABLE detections (
                    id TEXT PRIMARY KEY,
                    detector_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    severity INTEGER NOT NULL,
                    incident_id TEXT,
                    detected_at INTEGER NOT NULL,
                    document BLOB NOT NULL
                );
                CREATE INDEX detections_incident ON detections(incident_id, id);
                CREATE INDEX detections_type ON detections(type, id);

                CREATE TABLE incidents (
                    id TEXT PRIMARY KEY,
                    status TEXT NOT NULL,
                    severity INTEGER NOT NULL,
                    phase TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    document BLOB NOT NULL
                );
                CREATE INDEX incidents_updated ON incidents(updated_at);
                CREATE INDEX incidents_status ON incidents(status, id);

                CREATE TABLE incident_timeline (
                    seq INTEGER PRIMARY KEY,
                    incident_id TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    document BLOB NOT NULL
                );
                CREATE INDEX incident_timeline_incident ON incident_timeline(incident_id, seq);

                -- Definitions responders manage over the API: Sigma rules, IOC lists, canaries.
                CREATE TABLE managed_records (
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    document BLOB NOT NULL,
                    PRIMARY KEY (kind, id)
                );

                CREATE TABLE checkpoints (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-event-log") { db in
            // Event bytes move to the event log (EventLog): new rows point at them and leave the
            // blob columns empty; rows of older data stay as they are.
            try db.execute(sql: """
                ALTER TABLE events ADD COLUMN blob_position INTEGER;
                ALTER TABLE events ADD COLUMN document_length INTEGER;
                ALTER TABLE events ADD COLUMN original_length INTEGER;
                """)
        }
        migrator.registerMigration("v4-alerts-by-fingerprint") { db in
            // (fingerprint, last_seen) moved an index entry, at a random place, on every repeat
            // of an alert (each repeat updates last_seen): in bulk, two random index writes per
            // event. The newest alert of a fingerprint is also the one with the highest id (a
            // new one opens only after the last has gone quiet), and the rowid is in every
            // index entry, so (fingerprint) alone serves the lookup and repeats leave it alone.
            try db.execute(sql: """
                DROP INDEX alerts_fingerprint;
                CREATE INDEX alerts_fingerprint ON alerts(fingerprint);
                """)
        }
        return migrator
    }
}
