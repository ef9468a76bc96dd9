package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/vincula/vincula/models"
)

// WorkDocumentCondition is one kind of document that allows work, with what must be on
// file for it to count (the matching rules, turned into data the query can use).
type WorkDocumentCondition struct {
	Type string
	// NeedsWorkPermission, NeedsCURP, NeedsEmployer, NeedsFilingState, NeedsIssuedOn and
	// NeedsExpiresOn require the document's work_permission, the person's CURP, the
	// named employer, the filing state, the issue date and the expiry date.
	NeedsWorkPermission, NeedsCURP, NeedsEmployer, NeedsFilingState, NeedsIssuedOn, NeedsExpiresOn bool
	// UntilExpiry ends the document's right to work on its expiry date.
	UntilExpiry bool
	// IssuedSince, when set, is the earliest issue date still within the document's
	// longest validity (a cap counted from its issue).
	IssuedSince models.Date
}

// FunnelQuery says how the funnel's "eligible" stage is reckoned on Today: a person
// born on or before BornBy (the minimum working age) with a document of one of
// Documents in force that day.
type FunnelQuery struct {
	Today     models.Date
	BornBy    models.Date
	Documents []WorkDocumentCondition
}

// Funnel counts people at each stage of the programme: registered, eligible to work
// somewhere today, ever referred, ever interviewed (or further), hired.
type Funnel struct {
	Registered, Eligible, Referred, Interviewing, Hired int
}

// ProgrammeFunnel counts the funnel with one aggregate query per stage.
func (s *Store) ProgrammeFunnel(ctx context.Context, q FunnelQuery) (Funnel, error) {
	db := s.db.WithContext(ctx)
	var f Funnel
	count := func(dst *int, sql string, args ...any) error {
		var n int64
		if err := db.Raw(sql, args...).Scan(&n).Error; err != nil {
			return translate(err)
		}
		*dst = int(n)
		return nil
	}
	if err := count(&f.Registered, "SELECT COUNT(*) FROM candidates"); err != nil {
		return f, err
	}
	if docs, args := eligibleDocuments(q); docs != "" {
		sql := "SELECT COUNT(*) FROM candidates c WHERE c.birth_date <= ? AND EXISTS (SELECT 1 FROM documents d WHERE d.candidate_id = c.id AND (" + docs + "))"
		if err := count(&f.Eligible, sql, append([]any{q.BornBy.String()}, args...)...); err != nil {
			return f, err
		}
	}
	if err := count(&f.Referred, "SELECT COUNT(DISTINCT candidate_id) FROM referrals"); err != nil {
		return f, err
	}
	if err := count(&f.Interviewing, `SELECT COUNT(DISTINCT r.candidate_id) FROM referrals r WHERE r.status IN (?, ?, ?)
		OR EXISTS (SELECT 1 FROM referral_events e WHERE e.referral_id = r.id AND e.to_status = ?)`,
		string(models.ReferralInterviewing), string(models.ReferralHired), string(models.ReferralNotHired), string(models.ReferralInterviewing)); err != nil {
		return f, err
	}
	err := count(&f.Hired, "SELECT COUNT(DISTINCT candidate_id) FROM referrals WHERE status = ?", string(models.ReferralHired))
	return f, err
}

// eligibleDocuments is the SQL condition on documents d (of candidate c) that one of
// q's documents is in force on q.Today, with its arguments.
func eligibleDocuments(q FunnelQuery) (string, []any) {
	today := q.Today.String()
	var ors []string
	var args []any
	for _, w := range q.Documents {
		and := []string{"d.type = ?", "(d.issued_on IS NULL OR d.issued_on <= ?)"}
		args = append(args, w.Type, today)
		if w.NeedsWorkPermission {
			and = append(and, "d.work_permission = ?")
			args = append(args, true)
		}
		if w.NeedsCURP {
			and = append(and, "c.curp_enc <> ''")
		}
		if w.NeedsEmployer {
			and = append(and, "d.employer_id <> ''")
		}
		if w.NeedsFilingState {
			and = append(and, "d.state <> ''")
		}
		if w.NeedsIssuedOn {
			and = append(and, "d.issued_on IS NOT NULL")
		}
		if w.NeedsExpiresOn {
			and = append(and, "d.expires_on IS NOT NULL")
		}
		if w.UntilExpiry {
			and = append(and, "(d.expires_on IS NULL OR d.expires_on >= ?)")
			args = append(args, today)
		}
		if !w.IssuedSince.IsZero() {
			and = append(and, "(d.issued_on IS NULL OR d.issued_on >= ?)")
			args = append(args, w.IssuedSince.String())
		}
		ors = append(ors, "("+strings.Join(and, " AND ")+")")
	}
	return strings.Join(ors, " OR "), args
}

// PlacementCell is the number of distinct people hired in one cell of a breakdown:
// Month (YYYY-MM) and State for placements by state and month, Key (a gender or a
// nationality) for the others.
type PlacementCell struct {
	Month, State string
	Key          string `gorm:"column:cell_key"`
	People       int
}

// hires is the FROM clause of every placement breakdown: each hire (the step into
// hired of a referral's history) with its referral, vacancy and person.
const hires = `FROM referral_events e JOIN referrals r ON r.id = e.referral_id
	JOIN vacancies v ON v.id = r.vacancy_id JOIN candidates c ON c.id = r.candidate_id
	WHERE e.to_status = ?`

// monthOf is the SQL month (YYYY-MM) of the hire's time, reckoned offsetHours from UTC.
func (s *Store) monthOf(offsetHours int) string {
	if s.dialect == Postgres {
		return fmt.Sprintf("to_char((e.at AT TIME ZONE 'UTC') + interval '%d hours', 'YYYY-MM')", offsetHours)
	}
	return fmt.Sprintf("strftime('%%Y-%%m', e.at, '%+d hours')", offsetHours)
}

// PlacementsByStateMonth counts the people hired per vacancy state and month of the
// hire (months reckoned offsetHours from UTC: -6 for Mexico City), oldest month
// first.
func (s *Store) PlacementsByStateMonth(ctx context.Context, offsetHours int) ([]PlacementCell, error) {
	month := s.monthOf(offsetHours)
	var out []PlacementCell
	err := s.db.WithContext(ctx).Raw("SELECT "+month+" AS month, v.state AS state, COUNT(DISTINCT r.candidate_id) AS people "+hires+
		" GROUP BY "+month+", v.state ORDER BY month, state", string(models.ReferralHired)).Scan(&out).Error
	return out, translate(err)
}

// PlacementsByPerson counts the people hired by one of their own attributes: "gender"
// or "nationality" (an empty gender is returned as the key "").
func (s *Store) PlacementsByPerson(ctx context.Context, attribute string) ([]PlacementCell, error) {
	var col string
	switch attribute {
	case "gender":
		col = "c.gender"
	case "nationality":
		col = "c.nationality"
	default:
		return nil, fmt.Errorf("store: no placement breakdown by %q", attribute)
	}
	var out []PlacementCell
	err := s.db.WithContext(ctx).Raw("SELECT "+col+" AS cell_key, COUNT(DISTINCT r.candidate_id) AS people "+hires+
		" GROUP BY "+col+" ORDER BY "+col, string(models.ReferralHired)).Scan(&out).Error
	return out, translate(err)
}
