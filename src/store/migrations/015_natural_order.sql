-- spridning schema, version 15: names sort with their numbers in natural order ("M2" before
-- "M10"). Only the kept sort keys change; the step's Rust hook writes them again from the
-- names (`store::sort_key`). Nothing in the schema itself changes.
SELECT 1;
