-- +goose Up
-- Saved candidate searches and what they, and the employers' open vacancies, already
-- announced. The alert sweep runs each search, takes the people not yet in
-- alert_marks for it, and in one transaction records them, stamps last_alert_at and
-- writes the alert (a webhook delivery for an employer, a notice for a counsellor): an
-- interrupted sweep announced everyone it recorded and no one twice. source is
-- 'search:<id>' for a saved search and 'vacancy:<id>' for candidates.qualified.
CREATE TABLE saved_searches (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    owner_role TEXT NOT NULL,
    employer_id TEXT NOT NULL DEFAULT '',
    office_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    query TEXT NOT NULL DEFAULT '{}',
    shared BOOLEAN NOT NULL DEFAULT FALSE,
    last_alert_at DATETIME,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX saved_searches_owner ON saved_searches(owner_id);
CREATE INDEX saved_searches_employer ON saved_searches(employer_id);
CREATE INDEX saved_searches_office ON saved_searches(office_id);

CREATE TABLE alert_marks (
    source TEXT NOT NULL,
    candidate_id TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    alerted_at DATETIME NOT NULL,
    PRIMARY KEY (source, candidate_id)
);
CREATE INDEX alert_marks_candidate ON alert_marks(candidate_id);

-- Notices are what the console shows a user (a counsellor's saved-search alerts).
CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    created_at DATETIME NOT NULL,
    read_at DATETIME
);
CREATE INDEX notices_user ON notices(user_id, created_at, id);

-- How many vacancies an import job wrote for each employer, counted in each batch's
-- transaction, for the import.finished event.
CREATE TABLE import_job_employers (
    job_id TEXT NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
    employer_id TEXT NOT NULL REFERENCES employers(id) ON DELETE CASCADE,
    vacancies INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, employer_id)
);

-- +goose Down
DROP TABLE import_job_employers;
DROP TABLE notices;
DROP TABLE alert_marks;
DROP TABLE saved_searches;
