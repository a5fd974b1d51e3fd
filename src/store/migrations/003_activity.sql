-- spridning schema, version 3: what the Activity tab needs to stay fast at a million events.
-- Who has recorded events (a small table the `/` filter can search), and the number of
-- events, both kept up to date by triggers in the same transaction as each event.
CREATE TABLE recorder (login TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT OR IGNORE INTO recorder SELECT DISTINCT recorded_by FROM stage_event;
CREATE TRIGGER stage_event_recorder AFTER INSERT ON stage_event
BEGIN INSERT OR IGNORE INTO recorder (login) VALUES (NEW.recorded_by); END;

CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counter (name, value) SELECT 'events', count(*) FROM stage_event;
CREATE TRIGGER stage_event_count AFTER INSERT ON stage_event
BEGIN UPDATE counter SET value = value + 1 WHERE name = 'events'; END;
