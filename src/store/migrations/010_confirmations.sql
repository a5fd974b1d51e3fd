-- spridning schema, version 10: confirmations. A member or coordinator says that a stage
-- still holds on a day, without changing it. Append-only, like events: a mistaken one is
-- retracted, and stays in the history. `stage` is the stage it confirmed (the adoption's
-- stage on its day), so a later or back-dated event is never taken as confirmed by it.
CREATE TABLE confirmation (
    id          INTEGER PRIMARY KEY,
    adoption_id INTEGER NOT NULL REFERENCES adoption (id),
    stage       TEXT NOT NULL REFERENCES stage (code) CHECK (stage IN (
        'exploring', 'preparing', 'pilot', 'implemented', 'sustained', 'paused', 'discontinued')),
    effective   TEXT NOT NULL CHECK (effective GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note        TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX confirmation_by_adoption ON confirmation (adoption_id, effective, id);
CREATE TRIGGER confirmation_no_update BEFORE UPDATE ON confirmation
BEGIN SELECT RAISE(ABORT, 'confirmations are append-only'); END;
CREATE TRIGGER confirmation_no_delete BEFORE DELETE ON confirmation
BEGIN SELECT RAISE(ABORT, 'confirmations are append-only'); END;

CREATE TABLE confirmation_retraction (
    confirmation_id INTEGER PRIMARY KEY REFERENCES confirmation (id),
    reason          TEXT NOT NULL CHECK (length(reason) > 0),
    retracted_at    TEXT NOT NULL,
    retracted_by    TEXT NOT NULL
);
CREATE TRIGGER confirmation_retraction_no_update BEFORE UPDATE ON confirmation_retraction
BEGIN SELECT RAISE(ABORT, 'retractions are append-only'); END;
CREATE TRIGGER confirmation_retraction_no_delete BEFORE DELETE ON confirmation_retraction
BEGIN SELECT RAISE(ABORT, 'retractions are append-only'); END;

-- The change log takes two kinds more, and the confirmation each refers to. SQLite cannot
-- change a CHECK, so the log is built anew with its rows, indexes and triggers.
CREATE TABLE change_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('event', 'retraction', 'method_added',
                                                  'method_edited', 'unit_added', 'unit_edited',
                                                  'confirmation', 'confirmation_retraction')),
    at              TEXT NOT NULL,
    login           TEXT NOT NULL,
    event_id        INTEGER,
    method_id       INTEGER,
    unit_id         INTEGER,
    stage           TEXT,
    fields          TEXT NOT NULL DEFAULT '',
    confirmation_id INTEGER
);
INSERT INTO change_new (id, kind, at, login, event_id, method_id, unit_id, stage, fields)
SELECT id, kind, at, login, event_id, method_id, unit_id, stage, fields FROM change;
DROP TRIGGER change_no_update;
DROP TRIGGER change_no_delete;
DROP TRIGGER change_recorder;
DROP TRIGGER change_count;
DROP TABLE change;
-- The triggers on events, methods and units write to `change` by name: with the legacy
-- rename, SQLite neither checks nor rewrites them, and they find the new table.
PRAGMA legacy_alter_table = ON;
ALTER TABLE change_new RENAME TO change;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX change_by_method ON change (method_id, id);
CREATE INDEX change_by_unit ON change (unit_id, id);
CREATE INDEX change_by_login ON change (login, id);
CREATE INDEX change_by_time ON change (at, id);
CREATE TRIGGER change_no_update BEFORE UPDATE ON change
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_no_delete BEFORE DELETE ON change
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_recorder AFTER INSERT ON change
BEGIN INSERT OR IGNORE INTO recorder (login) VALUES (NEW.login); END;
CREATE TRIGGER change_count AFTER INSERT ON change
BEGIN UPDATE counter SET value = value + 1 WHERE name = 'changes'; END;

CREATE TRIGGER change_confirmation AFTER INSERT ON confirmation
WHEN NOT EXISTS (SELECT 1 FROM change_paused)
BEGIN
    INSERT INTO change (kind, at, login, confirmation_id, method_id, unit_id, stage)
    SELECT 'confirmation', NEW.recorded_at, NEW.recorded_by, NEW.id, a.method_id, a.unit_id,
           NEW.stage
    FROM adoption a WHERE a.id = NEW.adoption_id;
END;
CREATE TRIGGER change_confirmation_retraction AFTER INSERT ON confirmation_retraction
WHEN NOT EXISTS (SELECT 1 FROM change_paused)
BEGIN
    INSERT INTO change (kind, at, login, confirmation_id, method_id, unit_id, stage)
    SELECT 'confirmation_retraction', NEW.retracted_at, NEW.retracted_by, NEW.confirmation_id,
           a.method_id, a.unit_id, c.stage
    FROM confirmation c JOIN adoption a ON a.id = c.adoption_id
    WHERE c.id = NEW.confirmation_id;
END;
