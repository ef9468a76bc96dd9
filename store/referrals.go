package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/vincula/vincula/models"
)

// referralLockKey serialises referral routing on PostgreSQL, so that parallel
// creations read each counsellor's caseload only after the previous one committed:
// nobody is routed past their capacity. SQLite's immediate transactions already do this.
const referralLockKey = 0x726566657272616c // "referral"

type referralRow struct {
	ID            string
	CandidateID   string
	VacancyID     string
	OfficeID      string
	CounsellorID  *string
	Status        string
	Note          string
	RoutingReason string
	RequestedBy   string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (referralRow) TableName() string { return "referrals" }

func (r referralRow) toModel() models.Referral {
	return models.Referral{ID: r.ID, CandidateID: r.CandidateID, VacancyID: r.VacancyID, OfficeID: r.OfficeID,
		CounsellorID: deref(r.CounsellorID), Status: models.ReferralStatus(r.Status), Note: r.Note,
		RoutingReason: r.RoutingReason, RequestedBy: r.RequestedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		History: []models.ReferralEvent{}}
}

type referralEventRow struct {
	ID         string
	ReferralID string
	FromStatus string
	ToStatus   string
	ByUser     string
	At         time.Time
	Note       string
}

func (referralEventRow) TableName() string { return "referral_events" }

// RoutingSnapshot is what routing reads, taken inside the transaction that assigns.
type RoutingSnapshot struct {
	Offices []models.Office
	// Counsellors carry their current open caseload in OpenReferrals.
	Counsellors []models.Counsellor
}

// RouteDecision is where a referral goes: an office, and a counsellor or none (the
// referral then waits in the office queue).
type RouteDecision struct {
	OfficeID, CounsellorID, Reason string
}

// Router decides where a candidate's referral goes; the referrals package holds the
// policy, the store only supplies a consistent snapshot and records the decision.
type Router func(c *models.Candidate, snap RoutingSnapshot) (RouteDecision, error)

func (s *Store) lockReferrals(tx *gorm.DB) error {
	if s.dialect == Postgres {
		return tx.Exec("SELECT pg_advisory_xact_lock(?)", referralLockKey).Error
	}
	return nil
}

func (s *Store) routingSnapshot(tx *gorm.DB) (RoutingSnapshot, error) {
	var offices []officeRow
	if err := tx.Order("id").Find(&offices).Error; err != nil {
		return RoutingSnapshot{}, err
	}
	var counsellors []counsellorRow
	if err := tx.Order("id").Find(&counsellors).Error; err != nil {
		return RoutingSnapshot{}, err
	}
	snap := RoutingSnapshot{Offices: make([]models.Office, len(offices))}
	for i, o := range offices {
		snap.Offices[i] = o.toModel()
	}
	cs, err := s.withCaseload(tx, counsellors)
	snap.Counsellors = cs
	return snap, err
}

// NationalQueueName is the name of the national office the store creates when a
// referral is routed and no office is national: the national queue always exists, so
// a referral is never refused for lack of a covering office (DESIGN.md, Referrals).
const NationalQueueName = "Cola nacional SNE"

// createNationalOffice adds the national queue's office, based in Mexico City and
// covering no state of its own. It runs under the referral lock (PostgreSQL) or the
// write lock (SQLite), so two routings cannot both create one.
func (s *Store) createNationalOffice(tx *gorm.DB) (officeRow, error) {
	row := officeRow{ID: models.NewID(), Name: NationalQueueName, State: "MX-CMX", CoverageStates: jsonOf([]string{}),
		National: true, CreatedAt: s.now()}
	if err := tx.Create(&row).Error; err != nil {
		return officeRow{}, fmt.Errorf("create the national queue's office: %w", err)
	}
	s.log.Info("no office was national: created the national queue's office", "office", row.ID)
	return row, nil
}

// CreateReferral routes and inserts a pending referral with the first entry of its
// history. An open referral for the same candidate and vacancy is a conflict.
func (s *Store) CreateReferral(ctx context.Context, r *models.Referral, route Router) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		if err := s.lockReferrals(tx); err != nil {
			return err
		}
		var open []referralRow
		if err := tx.Select("id").Where("candidate_id = ? AND vacancy_id = ? AND status IN ?", r.CandidateID, r.VacancyID, openStatuses()).
			Find(&open).Error; err != nil {
			return err
		}
		if len(open) > 0 {
			return &models.Error{Kind: models.ErrConflict, Details: map[string]any{"referral_id": open[0].ID},
				Message: fmt.Sprintf("referral %s for this candidate and vacancy is still open", open[0].ID)}
		}
		cand, err := s.candidateTx(tx, r.CandidateID)
		if err != nil {
			return err
		}
		snap, err := s.routingSnapshot(tx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(snap.Offices, func(o models.Office) bool { return o.National }) {
			national, err := s.createNationalOffice(tx)
			if err != nil {
				return err
			}
			snap.Offices = append(snap.Offices, national.toModel())
		}
		d, err := route(&cand, snap)
		if err != nil {
			return err
		}
		t := s.now()
		r.ID, r.Status, r.CreatedAt, r.UpdatedAt = models.NewID(), models.ReferralPending, t, t
		r.OfficeID, r.CounsellorID, r.RoutingReason = d.OfficeID, d.CounsellorID, d.Reason
		row := referralRow{ID: r.ID, CandidateID: r.CandidateID, VacancyID: r.VacancyID, OfficeID: r.OfficeID,
			CounsellorID: nullable(r.CounsellorID), Status: string(r.Status), Note: r.Note, RoutingReason: r.RoutingReason,
			RequestedBy: r.RequestedBy, CreatedAt: t, UpdatedAt: t}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		ev := models.ReferralEvent{From: "", To: models.ReferralPending, By: r.RequestedBy, At: t, Note: r.Note}
		r.History = []models.ReferralEvent{ev}
		if err := insertEvent(tx, r.ID, ev); err != nil {
			return err
		}
		var v vacancyRow
		if err := tx.Select("id", "employer_id").Where("id = ?", r.VacancyID).Take(&v).Error; err != nil {
			return notFound(err, "vacancy %s", r.VacancyID)
		}
		if err := s.referralStageEvent(tx, v.EmployerID, row, "", models.ReferralPending); err != nil {
			return err
		}
		return markAssigned(tx, r.CounsellorID, t)
	})
}

func markAssigned(tx *gorm.DB, counsellorID string, t time.Time) error {
	if counsellorID == "" {
		return nil
	}
	return tx.Model(&counsellorRow{}).Where("id = ?", counsellorID).Update("last_assigned_at", t).Error
}

func insertEvent(tx *gorm.DB, referralID string, ev models.ReferralEvent) error {
	return tx.Create(&referralEventRow{ID: models.NewID(), ReferralID: referralID, FromStatus: string(ev.From),
		ToStatus: string(ev.To), ByUser: ev.By, At: ev.At, Note: ev.Note}).Error
}

func (s *Store) candidateTx(tx *gorm.DB, id string) (models.Candidate, error) {
	var row candidateRow
	if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
		return models.Candidate{}, notFound(err, "candidate %s", id)
	}
	var docs []documentRow
	if err := tx.Where("candidate_id = ?", id).Order("position").Find(&docs).Error; err != nil {
		return models.Candidate{}, err
	}
	return s.toCandidate(row, docs)
}

// Referral returns the referral with its history, oldest first.
func (s *Store) Referral(ctx context.Context, id string) (models.Referral, error) {
	return s.referralTx(s.db.WithContext(ctx), id)
}

func (s *Store) referralTx(tx *gorm.DB, id string) (models.Referral, error) {
	var row referralRow
	if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
		return models.Referral{}, notFound(err, "referral %s", id)
	}
	r := row.toModel()
	var events []referralEventRow
	if err := tx.Where("referral_id = ?", id).Order("at, id").Find(&events).Error; err != nil {
		return models.Referral{}, translate(err)
	}
	for _, e := range events {
		r.History = append(r.History, models.ReferralEvent{From: models.ReferralStatus(e.FromStatus),
			To: models.ReferralStatus(e.ToStatus), By: e.ByUser, At: e.At, Note: e.Note})
	}
	return r, nil
}

// TransitionCheck validates a move of ref (given its vacancy and candidate as they are
// inside the transaction) and returns the event to record.
type TransitionCheck func(ref models.Referral, v models.Vacancy, c models.Candidate) (models.ReferralEvent, error)

// TransitionReferral moves a referral in one transaction. A hire fills one position;
// the last position sets the vacancy to filled and withdraws the other open referrals
// to it. Counsellors whose caseload shrank take the oldest referrals waiting in their
// office's queue.
func (s *Store) TransitionReferral(ctx context.Context, id string, check TransitionCheck, route Router) (models.Referral, error) {
	var out models.Referral
	err := s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		if err := s.lockReferrals(tx); err != nil {
			return err
		}
		ref, err := s.referralTx(tx, id)
		if err != nil {
			return err
		}
		var vrow vacancyRow
		q := tx.Where("id = ?", ref.VacancyID)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Take(&vrow).Error; err != nil {
			return notFound(err, "vacancy %s", ref.VacancyID)
		}
		cand, err := s.candidateTx(tx, ref.CandidateID)
		if err != nil {
			return err
		}
		ev, err := check(ref, vrow.toModel(), cand)
		if err != nil {
			return err
		}
		if err := setStatus(tx, ref.ID, ev); err != nil {
			return err
		}
		if err := s.referralStageEvent(tx, vrow.EmployerID, referralRow{ID: ref.ID, VacancyID: ref.VacancyID,
			CandidateID: ref.CandidateID}, ev.From, ev.To); err != nil {
			return err
		}
		if ev.To == models.ReferralHired {
			if err := s.fillPosition(tx, f, vrow, ref.ID, ev); err != nil {
				return err
			}
		}
		if !ev.To.Open() {
			if err := s.assignQueued(tx, route); err != nil {
				return err
			}
		}
		out, err = s.referralTx(tx, id)
		return err
	})
	return out, err
}

func setStatus(tx *gorm.DB, referralID string, ev models.ReferralEvent) error {
	if err := tx.Model(&referralRow{}).Where("id = ?", referralID).
		Updates(map[string]any{"status": string(ev.To), "updated_at": ev.At}).Error; err != nil {
		return err
	}
	return insertEvent(tx, referralID, ev)
}

func (s *Store) fillPosition(tx *gorm.DB, f *feed, v vacancyRow, hiredReferral string, ev models.ReferralEvent) error {
	v.PositionsFilled++
	updates := map[string]any{"positions_filled": v.PositionsFilled, "updated_at": ev.At}
	if v.PositionsFilled >= v.Positions {
		updates["status"] = string(models.VacancyFilled)
	}
	if err := tx.Model(&vacancyRow{}).Where("id = ?", v.ID).Updates(updates).Error; err != nil {
		return err
	}
	f.add(models.ChangeVacancy, v.ID, models.ChangeUpsert)
	if v.PositionsFilled < v.Positions {
		return nil
	}
	if err := s.vacancyFilledEvent(tx, v, v.PositionsFilled); err != nil {
		return err
	}
	var others []referralRow
	if err := tx.Where("vacancy_id = ? AND id <> ? AND status IN ?", v.ID, hiredReferral, openStatuses()).
		Find(&others).Error; err != nil {
		return err
	}
	for _, o := range others {
		w := models.ReferralEvent{From: models.ReferralStatus(o.Status), To: models.ReferralWithdrawn, By: ev.By, At: ev.At,
			Note: "withdrawn automatically: the vacancy's last position was filled"}
		if err := setStatus(tx, o.ID, w); err != nil {
			return err
		}
		if err := s.referralStageEvent(tx, v.EmployerID, o, w.From, w.To); err != nil {
			return err
		}
	}
	return nil
}

// assignQueued gives waiting referrals, oldest first, to counsellors with room, office
// by office, until no more can be placed.
func (s *Store) assignQueued(tx *gorm.DB, route Router) error {
	var queued []referralRow
	if err := tx.Where("counsellor_id IS NULL AND status IN ?", openStatuses()).Order("created_at, id").
		Find(&queued).Error; err != nil {
		return err
	}
	if len(queued) == 0 {
		return nil
	}
	// One snapshot for the whole pass, kept current as referrals are placed: each
	// assignment adds to that counsellor's caseload and makes them the most recently
	// assigned, as a fresh read would show.
	snap, err := s.routingSnapshot(tx)
	if err != nil {
		return err
	}
	for _, q := range queued {
		cand, err := s.candidateTx(tx, q.CandidateID)
		if err != nil {
			return err
		}
		d, err := route(&cand, snap)
		// A referral that cannot be routed now (its person moved where no office
		// covers) keeps waiting; it must not block the move that freed the capacity.
		// A queued referral also stays with its office: only a counsellor of that
		// office may take it.
		if err != nil || d.CounsellorID == "" || d.OfficeID != q.OfficeID {
			continue
		}
		t := s.now()
		if err := tx.Model(&referralRow{}).Where("id = ?", q.ID).Updates(map[string]any{
			"counsellor_id": d.CounsellorID, "routing_reason": "assigned from the office queue: " + d.Reason, "updated_at": t,
		}).Error; err != nil {
			return err
		}
		if err := markAssigned(tx, d.CounsellorID, t); err != nil {
			return err
		}
		for i := range snap.Counsellors {
			if c := &snap.Counsellors[i]; c.ID == d.CounsellorID {
				c.OpenReferrals++
				c.LastAssignedAt = &t
			}
		}
	}
	return nil
}

// UpdateCounsellor changes a counsellor's capacity, languages or active flag. A
// deactivated counsellor's open referrals are routed again; freed or added capacity
// takes referrals waiting in the queue.
func (s *Store) UpdateCounsellor(ctx context.Context, c *models.Counsellor, route Router) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		if err := s.lockReferrals(tx); err != nil {
			return err
		}
		res := tx.Model(&counsellorRow{}).Where("id = ?", c.ID).Updates(map[string]any{
			"capacity": c.Capacity, "languages": jsonOf(c.Languages), "active": c.Active, "name": c.Name, "email": c.Email,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ErrNotFound, "counsellor %s not found", c.ID)
		}
		if !c.Active {
			// Put the counsellor's open referrals back in their office queue; the queue
			// pass below routes them among the counsellors still active.
			if err := tx.Model(&referralRow{}).Where("counsellor_id = ? AND status IN ?", c.ID, openStatuses()).
				Updates(map[string]any{"counsellor_id": nil, "routing_reason": "counsellor deactivated; waiting to be re-routed",
					"updated_at": s.now()}).Error; err != nil {
				return err
			}
		}
		return s.assignQueued(tx, route)
	})
}

// ReferralFilter narrows ListReferrals; the scope fields restrict what a role sees.
type ReferralFilter struct {
	CounsellorID string
	OfficeID     string
	// EmployerID keeps referrals to that employer's vacancies only.
	EmployerID  string
	CandidateID string
	VacancyID   string
	Status      string
	Page
}

// ListReferrals returns a page of referrals, oldest first, each with its history.
func (s *Store) ListReferrals(ctx context.Context, f ReferralFilter) ([]models.Referral, bool, error) {
	q := s.db.WithContext(ctx).Model(&referralRow{})
	if f.CounsellorID != "" {
		q = q.Where("counsellor_id = ?", f.CounsellorID)
	}
	if f.OfficeID != "" {
		q = q.Where("office_id = ?", f.OfficeID)
	}
	if f.EmployerID != "" {
		q = q.Where("vacancy_id IN (?)", s.db.Model(&vacancyRow{}).Select("id").Where("employer_id = ?", f.EmployerID))
	}
	if f.CandidateID != "" {
		q = q.Where("candidate_id = ?", f.CandidateID)
	}
	if f.VacancyID != "" {
		q = q.Where("vacancy_id = ?", f.VacancyID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var rows []referralRow
	if err := f.Page.apply(q).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, f.Page)
	out := make([]models.Referral, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	if err := withHistories(s.db.WithContext(ctx), out); err != nil {
		return nil, false, err
	}
	return out, more, nil
}

// withHistories fills in the histories of refs, oldest event first as Referral gives
// them, in one query.
func withHistories(db *gorm.DB, refs []models.Referral) error {
	if len(refs) == 0 {
		return nil
	}
	ids := make([]string, len(refs))
	pos := make(map[string]int, len(refs))
	for i, r := range refs {
		ids[i], pos[r.ID] = r.ID, i
	}
	var events []referralEventRow
	if err := db.Where("referral_id IN ?", ids).Order("at, id").Find(&events).Error; err != nil {
		return translate(err)
	}
	for _, e := range events {
		r := &refs[pos[e.ReferralID]]
		r.History = append(r.History, models.ReferralEvent{From: models.ReferralStatus(e.FromStatus),
			To: models.ReferralStatus(e.ToStatus), By: e.ByUser, At: e.At, Note: e.Note})
	}
	return nil
}
