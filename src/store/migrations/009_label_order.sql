-- The Matrix (and the command line's matrix) lists methods by the label it shows — the short
-- name where there is one — in Swedish order; its key is kept with the method.
ALTER TABLE method ADD COLUMN label_key TEXT NOT NULL DEFAULT '';
CREATE INDEX method_by_label ON method (label_key, id);
