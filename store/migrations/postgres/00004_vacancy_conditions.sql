-- +goose Up
-- The conditions of the work that decide whether a person of 15 to 17 may take it (Ley
-- Federal del Trabajo arts. 175 to 177). hazardous is NULL on vacancies stored before
-- this migration: they are judged by their occupation, as a vacancy that does not
-- declare it is; new writes store the resolved value. hours_per_week 0 is "not stated".
ALTER TABLE vacancies ADD COLUMN hazardous BOOLEAN;
ALTER TABLE vacancies ADD COLUMN night_work BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE vacancies ADD COLUMN serves_alcohol BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE vacancies ADD COLUMN hours_per_week INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE vacancies DROP COLUMN hours_per_week;
ALTER TABLE vacancies DROP COLUMN serves_alcohol;
ALTER TABLE vacancies DROP COLUMN night_work;
ALTER TABLE vacancies DROP COLUMN hazardous;
