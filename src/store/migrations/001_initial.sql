-- spridning schema, version 1.
-- Stages are a fixed vocabulary enforced here by a foreign key, not only in the code.
CREATE TABLE stage (
    code TEXT PRIMARY KEY,
    rank INTEGER NOT NULL UNIQUE
) WITHOUT ROWID;
INSERT INTO stage (code, rank) VALUES
    ('exploring', 1), ('preparing', 2), ('pilot', 3), ('implemented', 4),
    ('sustained', 5), ('paused', 6), ('discontinued', 7);
CREATE TRIGGER stage_is_fixed_insert BEFORE INSERT ON stage
BEGIN SELECT RAISE(ABORT, 'the stage vocabulary is fixed'); END;
CREATE TRIGGER stage_is_fixed_update BEFORE UPDATE ON stage
BEGIN SELECT RAISE(ABORT, 'the stage vocabulary is fixed'); END;
CREATE TRIGGER stage_is_fixed_delete BEFORE DELETE ON stage
BEGIN SELECT RAISE(ABORT, 'the stage vocabulary is fixed'); END;

CREATE TABLE method (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 120),
    short_name    TEXT UNIQUE COLLATE NOCASE CHECK (short_name IS NULL OR length(short_name) BETWEEN 1 AND 16),
    kind          TEXT NOT NULL CHECK (kind IN ('instrument', 'intervention', 'way_of_working')),
    area          TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    target_group  TEXT,
    origin        TEXT,
    evidence      TEXT,
    evidence_link TEXT,
    contact       TEXT,
    -- Lower-case name/short name/area for `/` filtering (SQLite's LIKE folds ASCII only).
    search        TEXT NOT NULL,
    -- Name folded so that text order is Swedish order (å, ä, ö after z).
    sort_key      TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
);
CREATE INDEX method_by_sort_key ON method (sort_key, id);

CREATE TABLE unit (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 2 AND 4),
    name         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 120),
    kind         TEXT NOT NULL CHECK (kind IN ('district', 'central', 'partner')),
    region       TEXT,
    valid_from   TEXT CHECK (valid_from IS NULL OR valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    valid_to     TEXT CHECK (valid_to IS NULL OR valid_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    successor_id INTEGER REFERENCES unit (id),
    search       TEXT NOT NULL,
    sort_key     TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
);

-- One per (method, unit). `stage`/`since`/`current_event_id` are the latest event that is not
-- retracted, kept up to date by the store in the same transaction as the event.
CREATE TABLE adoption (
    id               INTEGER PRIMARY KEY,
    method_id        INTEGER NOT NULL REFERENCES method (id),
    unit_id          INTEGER NOT NULL REFERENCES unit (id),
    stage            TEXT REFERENCES stage (code) CHECK (stage IS NULL OR stage IN (
        'exploring', 'preparing', 'pilot', 'implemented', 'sustained', 'paused', 'discontinued')),
    since            TEXT,
    current_event_id INTEGER,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    updated_by       TEXT NOT NULL,
    UNIQUE (method_id, unit_id)
);
CREATE INDEX adoption_by_method ON adoption (method_id, stage, since);
CREATE INDEX adoption_by_unit ON adoption (unit_id, stage, since);

-- Append-only: history is never rewritten; a correction is a new event or a retraction.
CREATE TABLE stage_event (
    id          INTEGER PRIMARY KEY,
    adoption_id INTEGER NOT NULL REFERENCES adoption (id),
    -- The CHECK holds even for a connection without foreign keys (e.g. a plain sqlite3 shell).
    stage       TEXT NOT NULL REFERENCES stage (code) CHECK (stage IN (
        'exploring', 'preparing', 'pilot', 'implemented', 'sustained', 'paused', 'discontinued')),
    effective   TEXT NOT NULL CHECK (
        effective GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
        OR effective GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX stage_event_by_adoption ON stage_event (adoption_id, effective, id);
CREATE TRIGGER stage_event_no_update BEFORE UPDATE ON stage_event
BEGIN SELECT RAISE(ABORT, 'stage events are append-only'); END;
CREATE TRIGGER stage_event_no_delete BEFORE DELETE ON stage_event
BEGIN SELECT RAISE(ABORT, 'stage events are append-only'); END;

-- A retracted event stays in the history but no longer counts.
CREATE TABLE retraction (
    event_id     INTEGER PRIMARY KEY REFERENCES stage_event (id),
    reason       TEXT NOT NULL CHECK (length(reason) > 0),
    retracted_at TEXT NOT NULL,
    retracted_by TEXT NOT NULL
);
CREATE TRIGGER retraction_no_update BEFORE UPDATE ON retraction
BEGIN SELECT RAISE(ABORT, 'retractions are append-only'); END;
CREATE TRIGGER retraction_no_delete BEFORE DELETE ON retraction
BEGIN SELECT RAISE(ABORT, 'retractions are append-only'); END;

CREATE TABLE user (
    login        TEXT PRIMARY KEY,
    display_name TEXT,
    role         TEXT NOT NULL CHECK (role IN ('coordinator', 'member', 'viewer')),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE TABLE user_unit (
    login   TEXT NOT NULL REFERENCES user (login) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    PRIMARY KEY (login, unit_id)
) WITHOUT ROWID;
