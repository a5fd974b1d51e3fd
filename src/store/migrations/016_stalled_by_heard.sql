-- spridning schema, version 16: the stalled pilots found from either end.
--
-- A stalled pilot is a preparing or pilot stage older than the stalled months that was
-- heard from in the fresh months. `adoption_by_stage` walks a stage's rows from the oldest
-- `since` and skips the stale ones: quick when most old stages are fresh (a register
-- confirmed in rounds), slow when few are (a register nobody has confirmed in two years).
-- `adoption_by_stage_heard` holds a stage's rows by `heard`, so its few fresh rows are read
-- whole and ordered. Both hold unit and method, so neither walk touches the table to skip
-- a row (`Store::stalled_top` counts a stage's stalled rows from this index first, and reads
-- them whole when there are fewer than 1 000).
-- (Dropped first, so a database whose version was set back runs the step again.)
DROP INDEX IF EXISTS adoption_by_stage;
DROP INDEX IF EXISTS adoption_by_stage_heard;
CREATE INDEX adoption_by_stage ON adoption (stage, since, heard, unit_id, method_id);
CREATE INDEX adoption_by_stage_heard ON adoption (stage, heard, since, unit_id, method_id);
