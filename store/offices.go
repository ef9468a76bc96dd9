package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

type officeRow struct {
	ID             string
	Name           string
	State          string
	CoverageStates jsonCol[[]string]
	National       bool
	CreatedAt      time.Time
}

func (officeRow) TableName() string { return "offices" }

func (r officeRow) toModel() models.Office {
	return models.Office{ID: r.ID, Name: r.Name, State: r.State, CoverageStates: nonNil(r.CoverageStates.V),
		National: r.National, CreatedAt: r.CreatedAt}
}

type counsellorRow struct {
	ID             string
	Name           string
	Email          string
	OfficeID       string
	Languages      jsonCol[[]string]
	Capacity       int
	Active         bool
	LastAssignedAt *time.Time
	UserID         string
	CreatedAt      time.Time
}

func (counsellorRow) TableName() string { return "counsellors" }

func (r counsellorRow) toModel() models.Counsellor {
	return models.Counsellor{ID: r.ID, Name: r.Name, Email: r.Email, OfficeID: r.OfficeID,
		Languages: nonNil(r.Languages.V), Capacity: r.Capacity, Active: r.Active,
		LastAssignedAt: r.LastAssignedAt, UserID: r.UserID, CreatedAt: r.CreatedAt}
}

// CreateOffice inserts an SNE office.
func (s *Store) CreateOffice(ctx context.Context, o *models.Office) error {
	if o.ID == "" {
		o.ID = models.NewID()
	}
	o.CreatedAt = s.now()
	row := officeRow{ID: o.ID, Name: o.Name, State: o.State, CoverageStates: jsonOf(o.CoverageStates),
		National: o.National, CreatedAt: o.CreatedAt}
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error { return tx.Create(&row).Error })
}

// Office returns the office with the given ID.
func (s *Store) Office(ctx context.Context, id string) (models.Office, error) {
	var row officeRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.Office{}, notFound(err, "office %s", id)
	}
	return row.toModel(), nil
}

// Offices returns every office; there are few (one per region).
func (s *Store) Offices(ctx context.Context) ([]models.Office, error) {
	var rows []officeRow
	if err := s.db.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]models.Office, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	return out, nil
}

// CreateCounsellor inserts the counsellor together with the user that logs in as them,
// in one transaction, so neither exists without the other.
func (s *Store) CreateCounsellor(ctx context.Context, c *models.Counsellor, u *models.User, tokenHash string) error {
	if c.ID == "" {
		c.ID = models.NewID()
	}
	c.CreatedAt = s.now()
	c.Active = true
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		var n int64
		if err := tx.Model(&officeRow{}).Where("id = ?", c.OfficeID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return &models.Error{Kind: models.ErrInvalid, Message: "validation failed",
				Fields: []models.FieldError{{Field: "office_id", Message: "no office with this id"}}}
		}
		row := counsellorRow{ID: c.ID, Name: c.Name, Email: c.Email, OfficeID: c.OfficeID,
			Languages: jsonOf(c.Languages), Capacity: c.Capacity, Active: true, CreatedAt: c.CreatedAt}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		u.CounsellorID, u.OfficeID = c.ID, c.OfficeID
		if err := s.createUser(tx, u, tokenHash); err != nil {
			return err
		}
		c.UserID = u.ID
		return tx.Model(&counsellorRow{}).Where("id = ?", c.ID).Update("user_id", u.ID).Error
	})
}

// Counsellor returns the counsellor with its current open caseload.
func (s *Store) Counsellor(ctx context.Context, id string) (models.Counsellor, error) {
	var row counsellorRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.Counsellor{}, notFound(err, "counsellor %s", id)
	}
	cs, err := s.withCaseload(s.db.WithContext(ctx), []counsellorRow{row})
	if err != nil {
		return models.Counsellor{}, err
	}
	return cs[0], nil
}

// CounsellorFilter narrows ListCounsellors.
type CounsellorFilter struct {
	OfficeID string
	Page
}

// ListCounsellors returns a page of counsellors with their open caseloads.
func (s *Store) ListCounsellors(ctx context.Context, f CounsellorFilter) ([]models.Counsellor, bool, error) {
	q := s.db.WithContext(ctx).Model(&counsellorRow{})
	if f.OfficeID != "" {
		q = q.Where("office_id = ?", f.OfficeID)
	}
	var rows []counsellorRow
	if err := f.Page.apply(q).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, f.Page)
	out, err := s.withCaseload(s.db.WithContext(ctx), rows)
	return out, more, err
}

// withCaseload fills OpenReferrals from the referrals table with one grouped query.
func (s *Store) withCaseload(db *gorm.DB, rows []counsellorRow) ([]models.Counsellor, error) {
	out := make([]models.Counsellor, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		out[i] = r.toModel()
	}
	var loads []struct {
		CounsellorID string
		N            int
	}
	err := db.Table("referrals").Select("counsellor_id, COUNT(*) AS n").
		Where("counsellor_id IN ? AND status IN ?", ids, openStatuses()).
		Group("counsellor_id").Scan(&loads).Error
	if err != nil {
		return nil, translate(err)
	}
	byID := make(map[string]int, len(loads))
	for _, l := range loads {
		byID[l.CounsellorID] = l.N
	}
	for i := range out {
		out[i].OpenReferrals = byID[out[i].ID]
	}
	return out, nil
}

func openStatuses() []string {
	var out []string
	for _, s := range models.ReferralStatuses {
		if s.Open() {
			out = append(out, string(s))
		}
	}
	return out
}
