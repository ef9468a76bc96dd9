-- +goose Up
-- Duplicate detection ("one person, once") compares a profile with the people born the
-- same day (a CURP holds the birth date, which must agree with it) and with those
-- sharing its phone; staff record pairs they found to be different people, which are
-- then no longer suggested. candidate_a sorts before candidate_b.
CREATE INDEX candidates_birth_date ON candidates(birth_date);
CREATE INDEX candidates_phone ON candidates(phone);
CREATE TABLE distinct_people (
    candidate_a TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    candidate_b TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    marked_by TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    marked_at DATETIME NOT NULL,
    PRIMARY KEY (candidate_a, candidate_b)
);
CREATE INDEX distinct_people_b ON distinct_people(candidate_b);

-- +goose Down
DROP TABLE distinct_people;
DROP INDEX candidates_phone;
DROP INDEX candidates_birth_date;
