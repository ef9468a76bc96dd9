package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/vincula/vincula/models"
)

type duplicateFlagRow struct {
	CandidateID string `gorm:"primaryKey"`
	SuspectID   string `gorm:"primaryKey"`
	Strength    string
	Reasons     jsonCol[[]string]
	FoundAt     time.Time
}

func (duplicateFlagRow) TableName() string { return "duplicate_flags" }

type mergeRow struct {
	MergedID string `gorm:"primaryKey"`
	IntoID   string
	MergedBy string
	Note     string
	MergedAt time.Time
}

func (mergeRow) TableName() string { return "candidate_merges" }

func (r mergeRow) toModel() models.Merge {
	return models.Merge{MergedID: r.MergedID, IntoID: r.IntoID, MergedBy: r.MergedBy, Note: r.Note, MergedAt: r.MergedAt}
}

// FlagDuplicates records the suspected duplicates found when candidateID was
// registered, for staff to settle. Flags already recorded stay as they were.
func (s *Store) FlagDuplicates(ctx context.Context, flags []models.DuplicateFlag) error {
	if len(flags) == 0 {
		return nil
	}
	t := s.now()
	rows := make([]duplicateFlagRow, len(flags))
	for i, f := range flags {
		rows[i] = duplicateFlagRow{CandidateID: f.CandidateID, SuspectID: f.SuspectID, Strength: f.Strength, Reasons: jsonOf(f.Reasons), FoundAt: t}
	}
	return translate(s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error)
}

// DuplicateFlags returns the flags staff have not settled, oldest first, at most limit;
// with candidateID, only those naming that profile. A merge settles a pair (the
// merged-away row and its flags are gone), and so does marking it different people.
func (s *Store) DuplicateFlags(ctx context.Context, candidateID string, limit int) ([]models.DuplicateFlag, error) {
	q := s.db.WithContext(ctx).Order("found_at, candidate_id, suspect_id").Limit(limit).
		Where(`NOT EXISTS (SELECT 1 FROM distinct_people d WHERE
			(d.candidate_a = duplicate_flags.candidate_id AND d.candidate_b = duplicate_flags.suspect_id) OR
			(d.candidate_a = duplicate_flags.suspect_id AND d.candidate_b = duplicate_flags.candidate_id))`)
	if candidateID != "" {
		q = q.Where("candidate_id = ? OR suspect_id = ?", candidateID, candidateID)
	}
	var rows []duplicateFlagRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]models.DuplicateFlag, len(rows))
	for i, r := range rows {
		out[i] = models.DuplicateFlag{CandidateID: r.CandidateID, SuspectID: r.SuspectID, Strength: r.Strength,
			Reasons: r.Reasons.V, FoundAt: r.FoundAt}
	}
	return out, nil
}

// MergedInto says which profile a merged-away ID lives on as (ErrNotFound when id was
// never merged, or the profile it went into has since been erased).
func (s *Store) MergedInto(ctx context.Context, id string) (models.Merge, error) {
	var row mergeRow
	if err := s.db.WithContext(ctx).Where("merged_id = ?", id).Take(&row).Error; err != nil {
		return models.Merge{}, notFound(err, "candidate %s", id)
	}
	return row.toModel(), nil
}

// MergeCandidates merges profile gone into profile keep, in one transaction: gone's
// documents, skills, languages, experience, preferences and its contact details where
// keep has none move to keep; its referrals are keep's now (one that would be a second
// active referral of keep to the same vacancy is withdrawn, saying why); its migrant
// login and what alerts already announced carry over; staff's "different people" marks
// follow; then gone's row is deleted, and its ID answers with keep's (MergedInto). The
// audit entries about gone stay as they were; audit records the merge itself.
func (s *Store) MergeCandidates(ctx context.Context, keep, gone, by, note string, audit ...models.AuditEvent) (models.Merge, error) {
	if keep == gone {
		return models.Merge{}, models.Errorf(models.ErrInvalid, "a profile cannot be merged into itself")
	}
	t := s.now()
	m := mergeRow{MergedID: gone, IntoID: keep, MergedBy: by, Note: note, MergedAt: t}
	err := s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		var rows []candidateRow
		if err := tx.Where("id IN ?", []string{keep, gone}).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) != 2 {
			return models.Errorf(models.ErrNotFound, "candidate %s or %s not found", keep, gone)
		}
		k, g := rows[0], rows[1]
		if k.ID != keep {
			k, g = g, k
		}
		if err := mergeProfile(tx, k, g, t); err != nil {
			return err
		}
		if err := s.mergeReferrals(tx, keep, gone, by, t); err != nil {
			return err
		}
		if err := mergeLogin(tx, keep, gone); err != nil {
			return err
		}
		if err := mergeMarks(tx, keep, gone, t); err != nil {
			return err
		}
		if err := tx.Model(&mergeRow{}).Where("into_id = ?", gone).Update("into_id", keep).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", gone).Delete(&candidateRow{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		if err := s.insertAudit(tx, audit...); err != nil {
			return err
		}
		f.add(models.ChangeCandidate, keep, models.ChangeUpsert)
		f.add(models.ChangeCandidate, gone, models.ChangeDelete)
		return nil
	})
	return m.toModel(), err
}

// mergeProfile moves gone's documents to keep and adds what keep's profile lacks.
func mergeProfile(tx *gorm.DB, k, g candidateRow, t time.Time) error {
	var last struct{ N int }
	if err := tx.Model(&documentRow{}).Select("COALESCE(MAX(position), -1) AS n").Where("candidate_id = ?", k.ID).Scan(&last).Error; err != nil {
		return err
	}
	if err := tx.Model(&documentRow{}).Where("candidate_id = ?", g.ID).Updates(map[string]any{
		"candidate_id": k.ID, "position": gorm.Expr("position + ?", last.N+1)}).Error; err != nil {
		return err
	}
	skills := k.Skills.V
	for _, s := range g.Skills.V {
		i := slices.IndexFunc(skills, func(x models.CandidateSkill) bool { return models.Fold(x.Name) == models.Fold(s.Name) })
		if i < 0 {
			skills = append(skills, s)
		} else if s.Years != nil && (skills[i].Years == nil || *s.Years > *skills[i].Years) {
			skills[i].Years = s.Years
		}
	}
	langs := k.Languages.V
	for _, l := range g.Languages.V {
		if !slices.ContainsFunc(langs, func(x models.LanguageSkill) bool {
			return models.CanonicalLanguageCode(x.Code) == models.CanonicalLanguageCode(l.Code)
		}) {
			langs = append(langs, l)
		}
	}
	exp := k.Experience.V
	for _, e := range g.Experience.V {
		if !slices.ContainsFunc(exp, func(x models.Experience) bool {
			return models.Fold(x.Title) == models.Fold(e.Title) && x.Years == e.Years && x.Country == e.Country
		}) {
			exp = append(exp, e)
		}
	}
	union := func(a, b []string) []string {
		out := slices.Clone(a)
		for _, x := range b {
			if !slices.ContainsFunc(out, func(y string) bool { return strings.EqualFold(x, y) }) {
				out = append(out, x)
			}
		}
		return out
	}
	updates := map[string]any{"skills": jsonOf(skills), "languages": jsonOf(langs), "experience": jsonOf(exp),
		"preferred_states":    jsonOf(union(k.PreferredStates.V, g.PreferredStates.V)),
		"desired_occupations": jsonOf(union(k.DesiredOccupations.V, g.DesiredOccupations.V)),
		"willing_to_relocate": k.WillingToRelocate || g.WillingToRelocate, "updated_at": t}
	for col, pair := range map[string][2]string{"phone": {k.Phone, g.Phone}, "email": {k.Email, g.Email},
		"curp_enc": {k.CURPEnc, g.CURPEnc}, "municipality": {k.Municipality, g.Municipality}, "hub": {k.Hub, g.Hub},
		"gender": {k.Gender, g.Gender}} {
		if pair[0] == "" && pair[1] != "" {
			updates[col] = pair[1]
		}
	}
	return tx.Model(&candidateRow{}).Where("id = ?", k.ID).Updates(updates).Error
}

// mergeReferrals gives gone's referrals to keep. Where both have an active referral to
// one vacancy, gone's is withdrawn first (at most one active referral per pair), and
// the employer is told as for any other stage change.
func (s *Store) mergeReferrals(tx *gorm.DB, keep, gone, by string, t time.Time) error {
	var active []referralRow
	if err := tx.Where("candidate_id = ? AND status IN ?", gone, openStatuses()).Find(&active).Error; err != nil {
		return err
	}
	for _, r := range active {
		var n int64
		if err := tx.Model(&referralRow{}).Where("candidate_id = ? AND vacancy_id = ? AND status IN ?", keep, r.VacancyID, openStatuses()).
			Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		ev := models.ReferralEvent{From: models.ReferralStatus(r.Status), To: models.ReferralWithdrawn, By: by, At: t,
			Note: "withdrawn: the profile was merged into " + keep + ", which already has an active referral to this vacancy"}
		if err := setStatus(tx, r.ID, ev); err != nil {
			return err
		}
		var v vacancyRow
		if err := tx.Select("id", "employer_id").Where("id = ?", r.VacancyID).Take(&v).Error; err != nil {
			return err
		}
		r.CandidateID = keep
		if err := s.referralStageEvent(tx, v.EmployerID, r, ev.From, ev.To); err != nil {
			return err
		}
	}
	return tx.Model(&referralRow{}).Where("candidate_id = ?", gone).Update("candidate_id", keep).Error
}

// mergeLogin keeps keep's migrant login; gone's becomes keep's when keep has none.
func mergeLogin(tx *gorm.DB, keep, gone string) error {
	var n int64
	if err := tx.Model(&credentialRow{}).Where("candidate_id = ?", keep).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		if err := tx.Model(&credentialRow{}).Where("candidate_id = ?", gone).Update("candidate_id", keep).Error; err != nil {
			return err
		}
	}
	var users int64
	if err := tx.Model(&userRow{}).Where("candidate_id = ? AND role = ?", keep, string(models.RoleMigrant)).Count(&users).Error; err != nil {
		return err
	}
	if users == 0 && n == 0 {
		return tx.Model(&userRow{}).Where("candidate_id = ?", gone).Update("candidate_id", keep).Error
	}
	return tx.Where("candidate_id = ?", gone).Delete(&userRow{}).Error
}

// mergeMarks carries over to keep what alerts announced of gone (so the merged person
// is not announced again as new) and staff's marks that gone is a different person
// from someone.
func mergeMarks(tx *gorm.DB, keep, gone string, t time.Time) error {
	var sources []string
	if err := tx.Model(&alertMarkRow{}).Where("candidate_id = ?", gone).Pluck("source", &sources).Error; err != nil {
		return err
	}
	for _, src := range sources {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&alertMarkRow{Source: src, CandidateID: keep, AlertedAt: t}).Error; err != nil {
			return err
		}
	}
	var marks []distinctRow
	if err := tx.Where("candidate_a = ? OR candidate_b = ?", gone, gone).Find(&marks).Error; err != nil {
		return err
	}
	for _, d := range marks {
		other := d.CandidateA
		if other == gone {
			other = d.CandidateB
		}
		if other == keep {
			return models.Errorf(models.ErrConflict, "staff marked %s and %s as different people; they cannot be merged", keep, gone)
		}
		a, b := keep, other
		if a > b {
			a, b = b, a
		}
		row := distinctRow{CandidateA: a, CandidateB: b, MarkedBy: d.MarkedBy, Note: d.Note, MarkedAt: d.MarkedAt}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

// forgetMerges removes the record of profiles merged into id, when id is erased: the
// IDs then answer as unknown.
func forgetMerges(tx *gorm.DB, id string) error {
	err := tx.Where("into_id = ?", id).Delete(&mergeRow{}).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	return err
}
