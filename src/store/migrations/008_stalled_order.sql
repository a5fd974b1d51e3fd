-- The stalled pilots longest first, read in order: adoptions by current stage and since.
CREATE INDEX adoption_by_stage ON adoption (stage, since);
