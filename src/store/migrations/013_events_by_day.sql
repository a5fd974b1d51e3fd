-- spridning schema, version 13: stage events in the order of their day.
--
-- The presentation's film starts in the year of its methods' first event in effect. Read
-- from this index, that is among the register's first few events; without it, every event
-- of the methods was read and sorted (2.6 s at L before the first slide).
CREATE INDEX stage_event_by_effective ON stage_event (effective, id);
