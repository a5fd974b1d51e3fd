-- The Methods table counts stages over the units valid on the day shown: the unit of each
-- adoption joins the index, so the counts stay an index-only read.
DROP INDEX adoption_by_method;
CREATE INDEX adoption_by_method ON adoption (method_id, stage, since, unit_id);
