-- spridning schema, version 12: inventory rounds (inventering). A coordinator opens a round
-- with a due day; it asks each of its units about every method that has a stage there (of
-- its area, when it has one) and the methods it names. Members answer per method: confirm,
-- change the stage, no longer in use (discontinued), or not used here. One round is open at
-- a time; a closed round keeps its answers.
CREATE TABLE round (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 120),
    due       TEXT NOT NULL CHECK (due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- Only methods whose area contains this (lower case), as `--area` chooses everywhere.
    area      TEXT,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT,
    CHECK ((closed_at IS NULL) = (closed_by IS NULL))
);
-- One open round at a time.
CREATE UNIQUE INDEX round_one_open ON round ((closed_at IS NULL)) WHERE closed_at IS NULL;

CREATE TABLE round_unit (
    round_id INTEGER NOT NULL REFERENCES round (id),
    unit_id  INTEGER NOT NULL REFERENCES unit (id),
    UNIQUE (round_id, unit_id)
);

-- The methods a round names: asked of every unit in it, with a stage there or not.
CREATE TABLE round_method (
    round_id  INTEGER NOT NULL REFERENCES round (id),
    method_id INTEGER NOT NULL REFERENCES method (id),
    UNIQUE (round_id, method_id)
);

-- The latest answer per question: what was said and the event or confirmation that said it.
CREATE TABLE round_answer (
    id              INTEGER PRIMARY KEY,
    round_id        INTEGER NOT NULL REFERENCES round (id),
    unit_id         INTEGER NOT NULL REFERENCES unit (id),
    method_id       INTEGER NOT NULL REFERENCES method (id),
    answer          TEXT NOT NULL CHECK (answer IN ('confirmed', 'changed', 'discontinued',
                                                    'not_used')),
    event_id        INTEGER REFERENCES stage_event (id),
    confirmation_id INTEGER REFERENCES confirmation (id),
    answered_at     TEXT NOT NULL,
    answered_by     TEXT NOT NULL,
    UNIQUE (round_id, unit_id, method_id),
    CHECK ((answer = 'confirmed') = (confirmation_id IS NOT NULL)),
    CHECK ((answer IN ('changed', 'discontinued')) = (event_id IS NOT NULL))
);
