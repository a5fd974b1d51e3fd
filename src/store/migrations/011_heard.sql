-- spridning schema, version 11: the age of every stage.
--
-- `adoption.heard` is the day the register last heard that the current stage holds: the
-- current event's day (a month counts as its first day) or the latest confirmation of that
-- stage on or after it that is not retracted, whichever is later. Kept by the store in the
-- same transaction as every event, confirmation and retraction (`stages::heard`), like
-- `stage` and `since`; a past day or a known-at time computes it from the history.
ALTER TABLE adoption ADD COLUMN heard TEXT
    CHECK (heard IS NULL OR heard GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
UPDATE adoption SET heard = (
    SELECT max(CASE WHEN length(e.effective) = 7 THEN e.effective || '-01' ELSE e.effective END,
               coalesce((SELECT max(c.effective) FROM confirmation c
                         WHERE c.adoption_id = adoption.id AND c.stage = e.stage
                           AND c.effective >= e.effective
                           AND NOT EXISTS (SELECT 1 FROM confirmation_retraction r
                                           WHERE r.confirmation_id = c.id)), ''))
    FROM stage_event e WHERE e.id = adoption.current_event_id)
WHERE current_event_id IS NOT NULL;

-- Counts per method and per unit read how many of their stages are stale from the index,
-- and the coordinator's list of whom to ask reads the oldest first.
DROP INDEX adoption_by_method;
CREATE INDEX adoption_by_method ON adoption (method_id, stage, since, unit_id, heard);
DROP INDEX adoption_by_unit;
CREATE INDEX adoption_by_unit ON adoption (unit_id, stage, since, heard);
DROP INDEX adoption_by_stage;
CREATE INDEX adoption_by_stage ON adoption (stage, since, heard);
CREATE INDEX adoption_by_heard ON adoption (heard, stage);

-- A second setting: after how many months without word a stage counts as stale
-- (`fresh-months`, default 24; whole months, 1 to 600).
CREATE TABLE setting_new (
    key   TEXT PRIMARY KEY CHECK (key IN ('title', 'fresh-months')),
    value TEXT NOT NULL,
    CHECK (key <> 'fresh-months' OR (value NOT GLOB '*[^0-9]*' AND value NOT GLOB '0*'
                                     AND length(value) BETWEEN 1 AND 3
                                     AND CAST(value AS INTEGER) BETWEEN 1 AND 600))
);
INSERT INTO setting_new (key, value) SELECT key, value FROM setting;
DROP TABLE setting;
ALTER TABLE setting_new RENAME TO setting;
