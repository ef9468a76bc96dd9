-- +goose Up
CREATE TABLE employers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    rfc TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    municipality TEXT NOT NULL DEFAULT '',
    sector TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    inm_employer_registration TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE offices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    coverage_states TEXT NOT NULL DEFAULT '[]',
    national BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE counsellors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    office_id TEXT NOT NULL REFERENCES offices(id),
    languages TEXT NOT NULL DEFAULT '[]',
    capacity INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    last_assigned_at TIMESTAMPTZ,
    user_id TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX counsellors_office ON counsellors(office_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    employer_id TEXT REFERENCES employers(id) ON DELETE CASCADE,
    office_id TEXT REFERENCES offices(id),
    counsellor_id TEXT REFERENCES counsellors(id),
    candidate_id TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE job_fairs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    municipality TEXT NOT NULL DEFAULT '',
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    organiser_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE vacancies (
    id TEXT PRIMARY KEY,
    employer_id TEXT NOT NULL REFERENCES employers(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    occupation_code TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '[]',
    languages TEXT NOT NULL DEFAULT '[]',
    min_experience_years DOUBLE PRECISION NOT NULL DEFAULT 0,
    education_level TEXT NOT NULL,
    state TEXT NOT NULL,
    municipality TEXT NOT NULL DEFAULT '',
    salary_min INTEGER,
    salary_max INTEGER,
    positions INTEGER NOT NULL,
    positions_filled INTEGER NOT NULL DEFAULT 0,
    start_date TEXT NOT NULL,
    end_date TEXT,
    relocation_support BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    job_fair_id TEXT REFERENCES job_fairs(id),
    external_key TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX vacancies_employer ON vacancies(employer_id);
CREATE INDEX vacancies_state_status ON vacancies(state, status);
CREATE UNIQUE INDEX vacancies_fair_key ON vacancies(job_fair_id, external_key) WHERE external_key IS NOT NULL;

CREATE TABLE candidates (
    id TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    name_folded TEXT NOT NULL DEFAULT '',
    nationality TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    curp_enc TEXT NOT NULL DEFAULT '',
    current_state TEXT NOT NULL,
    municipality TEXT NOT NULL DEFAULT '',
    hub TEXT NOT NULL DEFAULT '',
    willing_to_relocate BOOLEAN NOT NULL DEFAULT FALSE,
    preferred_states TEXT NOT NULL DEFAULT '[]',
    languages TEXT NOT NULL DEFAULT '[]',
    skills TEXT NOT NULL DEFAULT '[]',
    experience TEXT NOT NULL DEFAULT '[]',
    education_level TEXT NOT NULL,
    available_from TEXT,
    desired_occupations TEXT NOT NULL DEFAULT '[]',
    consent_share BOOLEAN NOT NULL DEFAULT FALSE,
    consent_given_at TIMESTAMPTZ,
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX candidates_state ON candidates(current_state);
CREATE INDEX candidates_hub ON candidates(hub);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    number_enc TEXT NOT NULL,
    issued_on TEXT,
    expires_on TEXT,
    work_permission BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL DEFAULT '',
    employer_id TEXT NOT NULL DEFAULT '',
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    verified_by TEXT NOT NULL DEFAULT '',
    verified_at TIMESTAMPTZ
);
CREATE INDEX documents_candidate ON documents(candidate_id);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    vacancy_id TEXT NOT NULL REFERENCES vacancies(id) ON DELETE CASCADE,
    office_id TEXT NOT NULL REFERENCES offices(id),
    counsellor_id TEXT REFERENCES counsellors(id),
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    routing_reason TEXT NOT NULL DEFAULT '',
    requested_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX referrals_open_pair ON referrals(candidate_id, vacancy_id)
    WHERE status IN ('pending', 'contacted', 'sent_to_employer', 'interviewing');
CREATE INDEX referrals_counsellor ON referrals(counsellor_id, status);
CREATE INDEX referrals_office ON referrals(office_id, status);
CREATE INDEX referrals_vacancy ON referrals(vacancy_id);

CREATE TABLE referral_events (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_referral ON referral_events(referral_id);

CREATE TABLE import_jobs (
    id TEXT PRIMARY KEY,
    job_fair_id TEXT NOT NULL REFERENCES job_fairs(id),
    status TEXT NOT NULL,
    mode TEXT NOT NULL,
    dry_run BOOLEAN NOT NULL DEFAULT FALSE,
    file_name TEXT NOT NULL DEFAULT '',
    file_path TEXT NOT NULL DEFAULT '',
    total_rows INTEGER NOT NULL DEFAULT 0,
    processed_rows INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    message TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_subject ON audit_events(subject_type, subject_id);

-- The change feed (outbox). Writers take a transaction-scoped advisory lock before
-- inserting, so sequence order is commit order and readers can follow "seq > last".
CREATE TABLE changes (
    seq BIGSERIAL PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE changes;
DROP TABLE audit_events;
DROP TABLE import_jobs;
DROP TABLE referral_events;
DROP TABLE referrals;
DROP TABLE documents;
DROP TABLE candidates;
DROP TABLE vacancies;
DROP TABLE job_fairs;
DROP TABLE users;
DROP TABLE counsellors;
DROP TABLE offices;
DROP TABLE employers;
