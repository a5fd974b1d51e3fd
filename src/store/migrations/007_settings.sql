-- Settings of the register as a whole. The only one so far is `title`: what the title slide
-- of the workshop presentation says (default "Metodspridning i Stockholms stad").
CREATE TABLE setting (
    key   TEXT PRIMARY KEY CHECK (key IN ('title')),
    value TEXT NOT NULL
);
