-- Units can have several predecessors and several successors (mergers and splits): the
-- lineage is its own relation, with the day the successor took over. `unit.successor_id`
-- stays as the one successor of a unit that merged into another. The rows are filled in by
-- the migration's hook (`stockholm::correct_reorganisations`), after it corrects the dates.
CREATE TABLE unit_lineage (
    predecessor_id INTEGER NOT NULL REFERENCES unit (id),
    successor_id   INTEGER NOT NULL REFERENCES unit (id),
    effective      TEXT NOT NULL CHECK (effective GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    PRIMARY KEY (predecessor_id, successor_id),
    CHECK (predecessor_id <> successor_id)
) WITHOUT ROWID;
CREATE INDEX unit_lineage_by_successor ON unit_lineage (successor_id, predecessor_id);
