-- +goose Up
-- One person, once. duplicate_flags holds the suspected duplicates found when a profile
-- was registered, for staff to settle; candidate_merges records each profile merged into
-- another (the merged-away row is gone; its ID answers with the one it lives on as).
CREATE TABLE duplicate_flags (
    candidate_id TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    suspect_id TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    strength TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    found_at DATETIME NOT NULL,
    PRIMARY KEY (candidate_id, suspect_id)
);
CREATE INDEX duplicate_flags_suspect ON duplicate_flags(suspect_id);

CREATE TABLE candidate_merges (
    merged_id TEXT PRIMARY KEY,
    into_id TEXT NOT NULL,
    merged_by TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    merged_at DATETIME NOT NULL
);
CREATE INDEX candidate_merges_into ON candidate_merges(into_id);

-- +goose Down
DROP TABLE candidate_merges;
DROP TABLE duplicate_flags;
