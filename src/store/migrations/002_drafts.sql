-- spridning schema, version 2: drafts. Text typed into a form survives a dropped connection,
-- a kill or a crash, and is offered to the same login next time. One draft per login.
CREATE TABLE draft (
    login     TEXT PRIMARY KEY,
    -- record_stage, new_method, edit_method, new_unit, edit_unit
    form      TEXT NOT NULL,
    target_id INTEGER,
    version   INTEGER,
    -- JSON objects field name → text: what was typed, and what the form opened with.
    fields    TEXT NOT NULL,
    original  TEXT NOT NULL,
    saved_at  TEXT NOT NULL
);
