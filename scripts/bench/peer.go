package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/datagen"
)

// The peer is what a team would build with PostgreSQL alone: plain tables, a tsvector
// with the Spanish configuration and unaccent, a GIN index, and the legal eligibility
// written in SQL. The tables are created without indexes, filled with COPY and then
// indexed, which is the fastest way PostgreSQL loads.
var peerSchema = []string{
	`CREATE EXTENSION IF NOT EXISTS unaccent`,
	`CREATE TABLE candidates (
		id text NOT NULL,
		state text NOT NULL,
		willing_to_relocate boolean NOT NULL,
		preferred_states text[] NOT NULL,
		consent boolean NOT NULL,
		status text NOT NULL,
		curp text NOT NULL,
		working_age_on date,
		guardian_until date,
		adult_on date,
		educated boolean NOT NULL,
		body text NOT NULL,
		tsv tsvector NOT NULL
	)`,
	`CREATE TABLE documents (
		candidate_id text NOT NULL,
		type text NOT NULL,
		issued_on date,
		expires_on date,
		work_permission boolean NOT NULL,
		state text NOT NULL,
		employer_id text NOT NULL,
		verified boolean NOT NULL
	)`,
	// unaccent is only STABLE, so the tsvector cannot be a generated column: rows are
	// copied into a staging table and the tsvector is computed once on the way in.
	`CREATE UNLOGGED TABLE candidates_in (
		id text, state text, willing_to_relocate boolean, preferred_states text[],
		consent boolean, status text, curp text, working_age_on date, guardian_until date, adult_on date,
		educated boolean, body text
	)`,
}

// peerTSV is the text the peer searches: the same parts of a profile as Vincula's
// index (skills, experience titles, desired occupations).
const peerTSV = `to_tsvector('spanish', unaccent(body))`

var peerFill = `INSERT INTO candidates
	SELECT id, state, willing_to_relocate, preferred_states, consent, status, curp, working_age_on, guardian_until,
		adult_on, educated, body, ` + peerTSV + `
	FROM candidates_in`

var peerIndexes = []string{
	`DROP TABLE candidates_in`,
	`ALTER TABLE candidates ADD PRIMARY KEY (id)`,
	`CREATE INDEX candidates_tsv ON candidates USING gin (tsv)`,
	`CREATE INDEX candidates_state ON candidates (state)`,
	`CREATE INDEX documents_candidate ON documents (candidate_id)`,
	`CREATE INDEX documents_type_expires ON documents (type, expires_on)`,
	`CREATE INDEX documents_state ON documents (state)`,
	`ANALYZE candidates`,
	`ANALYZE documents`,
}

// peerEligible is DESIGN.md's eligibility table (matching/rules/eligibility.json) as
// an SQL condition on candidate c, with {state} the vacancy's state, {day} the day and
// {employer} the vacancy's employer. A document counts from its issue date to its
// expiry date; a missing expiry date fails every rule that has one (NULL comparisons
// are not true). The validity caps (366 days for a TVTF, 180 for a permit naming an
// employer) count from the issue date, as the rules' max_validity_days do.
const peerEligible = `EXISTS (
	SELECT 1 FROM documents d
	WHERE d.candidate_id = c.id
	  AND (d.issued_on IS NULL OR d.issued_on <= {day})
	  AND (
		d.type = 'residente_permanente'
		OR (d.type = 'residente_temporal' AND d.work_permission AND d.expires_on >= {day})
		OR (d.type = 'visitante_razones_humanitarias' AND d.expires_on >= {day})
		OR (d.type = 'visitante_trabajador_fronterizo' AND {state} IN ('MX-CAM', 'MX-CHP', 'MX-ROO', 'MX-TAB')
			AND d.expires_on >= {day} AND (d.issued_on IS NULL OR d.issued_on + 366 >= {day}))
		OR (d.type = 'visitante_actividades_remuneradas' AND d.employer_id <> '' AND d.employer_id = {employer}
			AND d.issued_on IS NOT NULL AND d.expires_on >= {day} AND d.issued_on + 180 >= {day})
		OR (d.type = 'constancia_comar' AND btrim(c.curp) <> '' AND d.state = {state} AND d.expires_on >= {day})
	))`

// peerAge is the age section of the rules (issue 19) in SQL: the days a person turns
// 15, 16 and 18 are computed at load with the engine's own calendar (29 February
// birthdays fall on 1 March), educated is finished secondary school, and {minors} says
// whether the vacancy's conditions let people of 15 to 17 take it (not hazardous, not
// at night, no alcohol, 1 to 36 hours a week; true when no vacancy asks).
const peerAge = `(c.adult_on IS NULL OR c.adult_on <= {day}
	OR (c.working_age_on <= {day} AND {minors}
		AND (c.educated OR EXISTS (SELECT 1 FROM documents r WHERE r.candidate_id = c.id
			AND r.type = 'aprobacion_autoridad_laboral' AND r.verified
			AND (r.issued_on IS NULL OR r.issued_on <= {day}) AND (r.expires_on IS NULL OR r.expires_on >= {day})))
		AND (c.guardian_until <= {day} OR EXISTS (SELECT 1 FROM documents r WHERE r.candidate_id = c.id
			AND r.type = 'autorizacion_tutor' AND r.verified
			AND (r.issued_on IS NULL OR r.issued_on <= {day}) AND (r.expires_on IS NULL OR r.expires_on >= {day})))))`

// eligibleSQL is peerEligible and peerAge with the given SQL expressions (parameters,
// usually) for the state, the day, the employer and whether adolescents may take the
// work.
func eligibleSQL(state, day, employer, minors string) string {
	return strings.NewReplacer("{state}", state, "{day}", day, "{employer}", employer, "{minors}", minors).Replace(peerEligible + " AND " + peerAge)
}

// adolescentsMay reports whether people of 15 to 17 may take vacancy v, as the age
// rules judge its conditions.
func adolescentsMay(v *models.Vacancy) bool {
	return !v.IsHazardous() && !v.NightWork && !v.ServesAlcohol && v.HoursPerWeek > 0 && v.HoursPerWeek <= 36
}

// peerQuery is the peer's vacancy → candidates query: any word of the vacancy's title
// and skills (plainto_tsquery's AND turned into an OR, as Vincula's recall is), among
// the active, consenting candidates legally able to work there, best ts_rank first.
// $1 is the vacancy's text. The tsquery is a MATERIALIZED CTE so that it is computed
// once: inlined, unaccent (only STABLE) is evaluated again for every matching row in
// the recheck and in ts_rank, which made the query four times slower at 20,000 rows.
var peerQuery = `
WITH query AS MATERIALIZED (
	SELECT replace(plainto_tsquery('spanish', unaccent($1::text))::text, '&', '|')::tsquery AS q
)
SELECT c.id
FROM candidates c, query
WHERE c.tsv @@ query.q
  AND c.status = 'active' AND c.consent
  AND ` + eligibleSQL("$2::text", "$3::date", "$4::text", "$5::boolean") + `
ORDER BY ts_rank(c.tsv, query.q) DESC, c.id
LIMIT 20`

// peerLoad reports how long each step of the peer's load took.
type peerLoad struct {
	copy, tsvector, indexes time.Duration
}

func (p peerLoad) total() time.Duration { return p.copy + p.tsvector + p.indexes }

// candidateBody is the text of a profile the peer indexes, in the same order as
// Vincula's candidateText.
func candidateBody(c *models.Candidate) string {
	var parts []string
	for _, sk := range c.Skills {
		parts = append(parts, sk.Name)
	}
	for _, e := range c.Experience {
		parts = append(parts, e.Title)
	}
	parts = append(parts, c.DesiredOccupations...)
	return strings.Join(parts, " ")
}

// vacancyText is what a vacancy asks for, the same text Vincula's matcher searches.
func vacancyText(v models.Vacancy) string {
	parts := []string{v.Title}
	for _, sk := range v.Skills {
		parts = append(parts, sk.Name)
	}
	return strings.Join(parts, " ")
}

// dateArg is a day as the peer's date parameters take it; NULL for the zero Date.
func dateArg(d models.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// loadPeer creates the peer's schema in the empty database of conn and loads
// candidates [0, n) of g into it, chunk by chunk. Only the database's work is timed,
// not the generator's.
func loadPeer(ctx context.Context, conn *pgx.Conn, g *datagen.Generator, n, chunk int, progress func(done int)) (peerLoad, error) {
	var out peerLoad
	if err := createPeer(ctx, conn); err != nil {
		return out, err
	}
	for lo := 0; lo < n; lo += chunk {
		cs := generate(g, lo, min(lo+chunk, n))
		start := time.Now()
		if err := copyPeer(ctx, conn, cs); err != nil {
			return out, err
		}
		out.copy += time.Since(start)
		if progress != nil {
			progress(min(lo+chunk, n))
		}
	}
	var err error
	out.tsvector, out.indexes, err = finishPeer(ctx, conn)
	return out, err
}

// createPeer creates the peer's tables, empty and without indexes.
func createPeer(ctx context.Context, conn *pgx.Conn) error {
	for _, s := range peerSchema {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("peer schema: %w", err)
		}
	}
	// A bulk load is given the memory an administrator would give it; the default
	// 64 MB makes the GIN build several times slower at a million rows.
	if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
		return fmt.Errorf("peer: %w", err)
	}
	return nil
}

// copyPeer copies candidates and their documents into the peer's tables with COPY.
func copyPeer(ctx context.Context, conn *pgx.Conn, cs []models.Candidate) error {
	cands := make([][]any, len(cs))
	var docs [][]any
	for i := range cs {
		c := &cs[i]
		var fifteen, sixteen, adult models.Date
		if !c.BirthDate.IsZero() {
			fifteen, sixteen, adult = c.BirthDate.AddYears(15), c.BirthDate.AddYears(16), c.BirthDate.AddYears(18)
		}
		educated := slices.Index(models.EducationLevels, c.EducationLevel) >= slices.Index(models.EducationLevels, "secondary")
		cands[i] = []any{c.ID, c.CurrentState, c.WillingToRelocate, c.PreferredStates, c.Consent.ShareProfile,
			string(c.Status), c.CURP, dateArg(fifteen), dateArg(sixteen), dateArg(adult), educated, candidateBody(c)}
		for _, d := range c.Documents {
			docs = append(docs, []any{c.ID, string(d.Type), dateArg(d.IssuedOn), dateArg(d.ExpiresOn), d.WorkPermission, d.State, d.EmployerID, d.Verified})
		}
	}
	candCols := []string{"id", "state", "willing_to_relocate", "preferred_states", "consent", "status", "curp",
		"working_age_on", "guardian_until", "adult_on", "educated", "body"}
	docCols := []string{"candidate_id", "type", "issued_on", "expires_on", "work_permission", "state", "employer_id", "verified"}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"candidates_in"}, candCols, pgx.CopyFromRows(cands)); err != nil {
		return fmt.Errorf("peer: copy candidates: %w", err)
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"documents"}, docCols, pgx.CopyFromRows(docs)); err != nil {
		return fmt.Errorf("peer: copy documents: %w", err)
	}
	return nil
}

// finishPeer computes the tsvectors from the staged rows, then builds the indexes and
// the planner's statistics.
func finishPeer(ctx context.Context, conn *pgx.Conn) (tsvector, indexes time.Duration, err error) {
	start := time.Now()
	if _, err := conn.Exec(ctx, peerFill); err != nil {
		return 0, 0, fmt.Errorf("peer: tsvector: %w", err)
	}
	tsvector = time.Since(start)
	start = time.Now()
	for _, s := range peerIndexes {
		if _, err := conn.Exec(ctx, s); err != nil {
			return tsvector, 0, fmt.Errorf("peer: %s: %w", s, err)
		}
	}
	return tsvector, time.Since(start), nil
}

// peerTop runs the peer's query for vacancy v on day today and returns the IDs of its
// first page.
func peerTop(ctx context.Context, pool *pgxpool.Pool, v models.Vacancy, today models.Date) ([]string, error) {
	rows, err := pool.Query(ctx, peerQuery, vacancyText(v), v.State, workDate(v, today).Time(), v.EmployerID, adolescentsMay(&v))
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("peer query for vacancy %s: %w", v.ID, err)
	}
	return ids, nil
}

// workDate is the day a vacancy's eligibility is judged, as Vincula's matcher judges
// it: its start date, or today when that is past.
func workDate(v models.Vacancy, today models.Date) models.Date {
	if v.StartDate.IsZero() || v.StartDate.Before(today) {
		return today
	}
	return v.StartDate
}
