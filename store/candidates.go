package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

// CreateCandidate inserts the profile, its documents (numbers and CURP encrypted) and
// its change-feed row in one transaction.
func (s *Store) CreateCandidate(ctx context.Context, c *models.Candidate) error {
	if c.ID == "" {
		c.ID = models.NewID()
	}
	c.CreatedAt = s.now()
	c.UpdatedAt = c.CreatedAt
	assignDocumentIDs(c)
	row, docs := s.toCandidateRows(c)
	return s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if len(docs) > 0 {
			if err := tx.Create(&docs).Error; err != nil {
				return err
			}
		}
		f.add(models.ChangeCandidate, c.ID, models.ChangeUpsert)
		return nil
	})
}

func assignDocumentIDs(c *models.Candidate) {
	for i := range c.Documents {
		if c.Documents[i].ID == "" {
			c.Documents[i].ID = models.NewID()
		}
	}
}

// Candidate returns the profile with its documents decrypted.
func (s *Store) Candidate(ctx context.Context, id string) (models.Candidate, error) {
	var row candidateRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.Candidate{}, notFound(err, "candidate %s", id)
	}
	out, err := s.withDocuments(ctx, []candidateRow{row})
	if err != nil {
		return models.Candidate{}, err
	}
	return out[0], nil
}

// replaceCandidate overwrites the stored profile id with row and its documents with
// docs, inside tx (ErrNotFound when there is no such profile).
func replaceCandidate(tx *gorm.DB, id string, row *candidateRow, docs []documentRow) error {
	res := tx.Model(&candidateRow{}).Where("id = ?", id).Select("*").Omit("id", "created_at").Updates(row)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return models.Errorf(models.ErrNotFound, "candidate %s not found", id)
	}
	if err := tx.Where("candidate_id = ?", id).Delete(&documentRow{}).Error; err != nil {
		return err
	}
	if len(docs) > 0 {
		return tx.Create(&docs).Error
	}
	return nil
}

// UpdateCandidate replaces the stored profile and its documents with c's (the caller
// merged the patch, validated it and decided each document's verification) and writes
// the change-feed row.
func (s *Store) UpdateCandidate(ctx context.Context, c *models.Candidate) error {
	c.UpdatedAt = s.now()
	assignDocumentIDs(c)
	row, docs := s.toCandidateRows(c)
	return s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		if err := replaceCandidate(tx, c.ID, &row, docs); err != nil {
			return err
		}
		f.add(models.ChangeCandidate, c.ID, models.ChangeUpsert)
		return nil
	})
}

// EraseCandidate removes the person (ARCO cancellation): the profile, documents,
// referrals and any migrant login, in one transaction with the audit entry and the
// change-feed row that removes them from every index. Audit entries keep only IDs.
func (s *Store) EraseCandidate(ctx context.Context, id string, audit models.AuditEvent) error {
	err := s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		var cred credentialRow
		if err := tx.Select("phone_key").Where("candidate_id = ?", id).Take(&cred).Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if err := clearPhoneThrottles(tx, cred.PhoneKey); err != nil {
			return err
		}
		if err := tx.Where("candidate_id = ?", id).Delete(&userRow{}).Error; err != nil {
			return err
		}
		if err := forgetMerges(tx, id); err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&candidateRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ErrNotFound, "candidate %s not found", id)
		}
		if err := s.insertAudit(tx, audit); err != nil {
			return err
		}
		f.add(models.ChangeCandidate, id, models.ChangeDelete)
		return nil
	})
	if err == nil {
		s.scrubLog(ctx)
	}
	return err
}

// CandidateFilter narrows ListCandidates.
type CandidateFilter struct {
	State  string
	Hub    string
	Status string
	// Q matches part of the name, ignoring case and accents.
	Q string
	Page
}

// ListCandidates returns a page of profiles and whether more follow.
func (s *Store) ListCandidates(ctx context.Context, f CandidateFilter) ([]models.Candidate, bool, error) {
	q := s.db.WithContext(ctx).Model(&candidateRow{})
	if f.State != "" {
		q = q.Where("current_state = ?", f.State)
	}
	if f.Hub != "" {
		q = q.Where("hub = ?", f.Hub)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Q != "" {
		q = q.Where(`name_folded LIKE ? ESCAPE '\'`, "%"+escapeLike(models.Fold(f.Q))+"%")
	}
	var rows []candidateRow
	if err := f.Page.apply(q).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, f.Page)
	out, err := s.withDocuments(ctx, rows)
	return out, more, err
}

// CandidatesByID returns the profiles with the given IDs that still exist, in the
// order of ids, with one query for the profiles and one for their documents.
func (s *Store) CandidatesByID(ctx context.Context, ids []string) ([]models.Candidate, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []candidateRow
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	ordered := make([]candidateRow, 0, len(rows))
	slots := make([]*candidateRow, len(ids))
	for i := range rows {
		slots[pos[rows[i].ID]] = &rows[i]
	}
	for _, r := range slots {
		if r != nil {
			ordered = append(ordered, *r)
		}
	}
	return s.withDocuments(ctx, ordered)
}

// EachCandidate calls fn for every profile in ID order, a batch at a time.
func (s *Store) EachCandidate(ctx context.Context, batch int, fn func([]models.Candidate) error) error {
	after := ""
	for {
		var rows []candidateRow
		if err := s.db.WithContext(ctx).Where("id > ?", after).Order("id").Limit(batch).Find(&rows).Error; err != nil {
			return translate(err)
		}
		if len(rows) == 0 {
			return nil
		}
		cs, err := s.readDocuments(ctx, rows, true)
		if err != nil {
			return err
		}
		if err := fn(cs); err != nil {
			return err
		}
		after = rows[len(rows)-1].ID
	}
}

// CountRecords returns how many candidates and vacancies there are: what a rebuild of
// the search index reads (EachCandidate, EachVacancy), for its progress.
func (s *Store) CountRecords(ctx context.Context) (candidates, vacancies int64, err error) {
	db := s.db.WithContext(ctx)
	if err := db.Model(&candidateRow{}).Count(&candidates).Error; err != nil {
		return 0, 0, translate(err)
	}
	if err := db.Model(&vacancyRow{}).Count(&vacancies).Error; err != nil {
		return 0, 0, translate(err)
	}
	return candidates, vacancies, nil
}

func (s *Store) withDocuments(ctx context.Context, rows []candidateRow) ([]models.Candidate, error) {
	return s.readDocuments(ctx, rows, false)
}

// readDocuments adds their documents to rows. With skipBad a profile that cannot be
// decoded (a value the key does not open, a corrupt row) is logged and left out
// instead of failing the whole read: a rebuild of the index then goes past it, and
// the index's follower reports it if a change names it again.
func (s *Store) readDocuments(ctx context.Context, rows []candidateRow, skipBad bool) ([]models.Candidate, error) {
	if len(rows) == 0 {
		return []models.Candidate{}, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var docs []documentRow
	if err := s.db.WithContext(ctx).Where("candidate_id IN ?", ids).Order("candidate_id, position").Find(&docs).Error; err != nil {
		return nil, translate(err)
	}
	byCandidate := make(map[string][]documentRow, len(rows))
	for _, d := range docs {
		byCandidate[d.CandidateID] = append(byCandidate[d.CandidateID], d)
	}
	out := make([]models.Candidate, 0, len(rows))
	for _, r := range rows {
		c, err := s.toCandidate(r, byCandidate[r.ID])
		if err != nil {
			if !skipBad {
				return nil, fmt.Errorf("candidate %s: %w", r.ID, err)
			}
			s.log.Error("store: a candidate that cannot be read was left out", "candidate", r.ID, "err", err)
			continue
		}
		out = append(out, c)
	}
	return out, nil
}
