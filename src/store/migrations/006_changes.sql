-- spridning schema, version 6: every change, as the Activity tab lists it. One row per stage
-- event, retraction, and method or unit added or edited (with the fields that changed),
-- written by triggers in the same transaction as the change itself, so that every writer
-- (the TUI, the command line, import, reorganise) is logged alike. Append-only.
--
-- The row carries what the Activity filter looks for (method, unit, stage, who, when), each
-- with an index that keeps the newest-first order within it, so that a filter matching a
-- few rows among a million finds them through the index instead of walking every row.
CREATE TABLE change (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('event', 'retraction', 'method_added',
                                            'method_edited', 'unit_added', 'unit_edited')),
    at        TEXT NOT NULL,
    login     TEXT NOT NULL,
    event_id  INTEGER,
    method_id INTEGER,
    unit_id   INTEGER,
    stage     TEXT,
    -- The fields an edit changed, space-separated.
    fields    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX change_by_method ON change (method_id, id);
CREATE INDEX change_by_unit ON change (unit_id, id);
CREATE INDEX change_by_login ON change (login, id);
CREATE INDEX change_by_time ON change (at, id);
CREATE TRIGGER change_no_update BEFORE UPDATE ON change
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_no_delete BEFORE DELETE ON change
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

-- What happened before this version, in the order it happened (edits made before it are
-- not known field by field and are not listed).
INSERT INTO change (kind, at, login, event_id, method_id, unit_id, stage)
SELECT kind, at, login, event_id, method_id, unit_id, stage FROM (
    SELECT 'method_added' AS kind, created_at AS at, created_by AS login, NULL AS event_id,
           id AS method_id, NULL AS unit_id, NULL AS stage, 0 AS o, id AS k FROM method
    UNION ALL
    SELECT 'unit_added', created_at, created_by, NULL, NULL, id, NULL, 1, id FROM unit
    UNION ALL
    SELECT 'event', e.recorded_at, e.recorded_by, e.id, a.method_id, a.unit_id, e.stage, 2, e.id
    FROM stage_event e JOIN adoption a ON a.id = e.adoption_id
    UNION ALL
    SELECT 'retraction', r.retracted_at, r.retracted_by, r.event_id, a.method_id, a.unit_id,
           e.stage, 3, r.event_id
    FROM retraction r JOIN stage_event e ON e.id = r.event_id
    JOIN adoption a ON a.id = e.adoption_id
) ORDER BY at, o, k;

-- While a row is here (only ever inside a bulk load's own transaction, so no other
-- connection sees it), the triggers below do not log one row at a time: the load logs
-- everything it added in one statement at its end (`activity::bulk_logged`).
CREATE TABLE change_paused (one INTEGER PRIMARY KEY CHECK (one = 1));

CREATE TRIGGER change_event AFTER INSERT ON stage_event
WHEN NOT EXISTS (SELECT 1 FROM change_paused)
BEGIN
    INSERT INTO change (kind, at, login, event_id, method_id, unit_id, stage)
    SELECT 'event', NEW.recorded_at, NEW.recorded_by, NEW.id, a.method_id, a.unit_id, NEW.stage
    FROM adoption a WHERE a.id = NEW.adoption_id;
END;
CREATE TRIGGER change_retraction AFTER INSERT ON retraction
WHEN NOT EXISTS (SELECT 1 FROM change_paused)
BEGIN
    INSERT INTO change (kind, at, login, event_id, method_id, unit_id, stage)
    SELECT 'retraction', NEW.retracted_at, NEW.retracted_by, NEW.event_id, a.method_id,
           a.unit_id, e.stage
    FROM stage_event e JOIN adoption a ON a.id = e.adoption_id WHERE e.id = NEW.event_id;
END;
CREATE TRIGGER change_method_added AFTER INSERT ON method
WHEN NOT EXISTS (SELECT 1 FROM change_paused)
BEGIN
    INSERT INTO change (kind, at, login, method_id)
    VALUES ('method_added', NEW.created_at, NEW.created_by, NEW.id);
END;
-- An edit is an update that takes a new version (what init and import do to the rows they
-- have just added is part of adding them).
CREATE TRIGGER change_method_edited AFTER UPDATE ON method
WHEN NEW.version <> OLD.version AND NOT EXISTS (SELECT 1 FROM change_paused)
BEGIN
    INSERT INTO change (kind, at, login, method_id, fields)
    SELECT 'method_edited', NEW.updated_at, NEW.updated_by, NEW.id, fields FROM (SELECT rtrim(
        CASE WHEN OLD.name IS NOT NEW.name THEN 'name ' ELSE '' END
        || CASE WHEN OLD.short_name IS NOT NEW.short_name THEN 'short_name ' ELSE '' END
        || CASE WHEN OLD.kind IS NOT NEW.kind THEN 'kind ' ELSE '' END
        || CASE WHEN OLD.area IS NOT NEW.area THEN 'area ' ELSE '' END
        || CASE WHEN OLD.description IS NOT NEW.description THEN 'description ' ELSE '' END
        || CASE WHEN OLD.target_group IS NOT NEW.target_group THEN 'target_group ' ELSE '' END
        || CASE WHEN OLD.origin IS NOT NEW.origin THEN 'origin ' ELSE '' END
        || CASE WHEN OLD.evidence IS NOT NEW.evidence THEN 'evidence ' ELSE '' END
        || CASE WHEN OLD.evidence_link IS NOT NEW.evidence_link THEN 'evidence_link ' ELSE '' END
        || CASE WHEN OLD.contact IS NOT NEW.contact THEN 'contact ' ELSE '' END) AS fields)
    WHERE fields <> '';
END;
CREATE TRIGGER change_unit_added AFTER INSERT ON unit
WHEN NOT EXISTS (SELECT 1 FROM change_paused)
BEGIN
    INSERT INTO change (kind, at, login, unit_id)
    VALUES ('unit_added', NEW.created_at, NEW.created_by, NEW.id);
END;
CREATE TRIGGER change_unit_edited AFTER UPDATE ON unit
WHEN NEW.version <> OLD.version AND NOT EXISTS (SELECT 1 FROM change_paused)
BEGIN
    INSERT INTO change (kind, at, login, unit_id, fields)
    SELECT 'unit_edited', NEW.updated_at, NEW.updated_by, NEW.id, fields FROM (SELECT rtrim(
        CASE WHEN OLD.code IS NOT NEW.code THEN 'code ' ELSE '' END
        || CASE WHEN OLD.name IS NOT NEW.name THEN 'name ' ELSE '' END
        || CASE WHEN OLD.kind IS NOT NEW.kind THEN 'kind ' ELSE '' END
        || CASE WHEN OLD.region IS NOT NEW.region THEN 'region ' ELSE '' END
        || CASE WHEN OLD.valid_from IS NOT NEW.valid_from THEN 'valid_from ' ELSE '' END
        || CASE WHEN OLD.valid_to IS NOT NEW.valid_to THEN 'valid_to ' ELSE '' END
        || CASE WHEN OLD.successor_id IS NOT NEW.successor_id THEN 'successor ' ELSE '' END)
        AS fields)
    WHERE fields <> '';
END;

-- Who has changed anything (the filter's `by:` and its text search look here), and how
-- many changes there are (the unfiltered Activity count).
INSERT OR IGNORE INTO recorder SELECT DISTINCT login FROM change;
CREATE TRIGGER change_recorder AFTER INSERT ON change
BEGIN INSERT OR IGNORE INTO recorder (login) VALUES (NEW.login); END;
INSERT INTO counter (name, value) SELECT 'changes', count(*) FROM change;
CREATE TRIGGER change_count AFTER INSERT ON change
BEGIN UPDATE counter SET value = value + 1 WHERE name = 'changes'; END;
