-- spridning schema, version 13: stage events in the order of their day, and each
-- adoption's milestones.
--
-- The presentation's film starts in the year of its methods' first event in effect. Read
-- from this index, that is among the register's first few events; without it, every event
-- of the methods was read and sorted (2.6 s at L before the first slide).
CREATE INDEX stage_event_by_effective ON stage_event (effective, id);

-- What today's figures read of an adoption's whole history, kept on its row as its stage
-- is (`stages::milestones`, filled in by this step's hook and then by every write): the day
-- of its first at pilot or beyond, of its first in use, and whether it was paused or
-- discontinued after that. The first sort of Spread by a figure read every event (862 ms
-- at L).
ALTER TABLE adoption ADD COLUMN first_pilot TEXT
    CHECK (first_pilot IS NULL OR first_pilot GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE adoption ADD COLUMN first_in_use TEXT
    CHECK (first_in_use IS NULL OR first_in_use GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE adoption ADD COLUMN lapsed INTEGER NOT NULL DEFAULT 0 CHECK (lapsed IN (0, 1));
