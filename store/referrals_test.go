package store_test

import (
	"sync"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/referrals"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func route(c *models.Candidate, snap store.RoutingSnapshot) (store.RouteDecision, error) {
	d, err := referrals.Route(referrals.RouteInput{Candidate: c, Offices: snap.Offices, Counsellors: snap.Counsellors})
	return store.RouteDecision{OfficeID: d.OfficeID, CounsellorID: d.CounsellorID, Reason: d.Reason}, err
}

// TestParallelReferralsRespectCapacityAndPairs creates many referrals at once, some of
// them for the same candidate and vacancy: no counsellor goes over capacity, and no
// pair gets two open referrals.
func TestParallelReferralsRespectCapacityAndPairs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		office := models.Office{Name: "SNE Chiapas", State: "MX-CHP", CoverageStates: []string{"MX-CHP"}}
		if err := s.CreateOffice(ctx, &office); err != nil {
			t.Fatal(err)
		}
		var counsellors []models.Counsellor
		for _, name := range []string{"Ana", "Jorge"} {
			c := models.Counsellor{Name: name, Email: name + "@sne.example", OfficeID: office.ID, Languages: []string{"es"}, Capacity: 4}
			u := models.User{Name: name, Role: models.RoleCounsellor}
			if err := s.CreateCounsellor(ctx, &c, &u, "hash-"+name+models.NewID()); err != nil {
				t.Fatal(err)
			}
			counsellors = append(counsellors, c)
		}
		e := newEmployer(t, s, "PAR010101AB1")
		v := newVacancy(e.ID)
		v.State = "MX-CHP"
		if err := s.CreateVacancy(ctx, &v); err != nil {
			t.Fatal(err)
		}
		const people = 16
		var ids []string
		for i := 0; i < people; i++ {
			c := newCandidate("DOC-" + models.NewID())
			if err := s.CreateCandidate(ctx, &c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}

		// Each person is asked for twice, by two racing goroutines.
		var wg sync.WaitGroup
		var mu sync.Mutex
		created, conflicts := 0, 0
		for round := 0; round < 2; round++ {
			for _, id := range ids {
				wg.Add(1)
				go func(id string) {
					defer wg.Done()
					r := models.Referral{CandidateID: id, VacancyID: v.ID, RequestedBy: "tester"}
					err := s.CreateReferral(ctx, &r, route)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						created++
					case models.IsKind(err, models.ErrConflict):
						conflicts++
					default:
						t.Errorf("create referral: %v", err)
					}
				}(id)
			}
		}
		wg.Wait()
		if created != people || conflicts != people {
			t.Fatalf("created %d and refused %d, want %d and %d", created, conflicts, people, people)
		}
		for _, c := range counsellors {
			got, err := s.Counsellor(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.OpenReferrals != 4 {
				t.Errorf("counsellor %s holds %d open referrals, want exactly their capacity 4", c.Name, got.OpenReferrals)
			}
		}
		all, _, err := s.ListReferrals(ctx, store.ReferralFilter{VacancyID: v.ID, Page: store.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		perPair := map[string]int{}
		queued := 0
		for _, r := range all {
			perPair[r.CandidateID]++
			if r.CounsellorID == "" {
				queued++
			}
		}
		for id, n := range perPair {
			if n != 1 {
				t.Errorf("candidate %s has %d open referrals to one vacancy", id, n)
			}
		}
		if queued != people-8 {
			t.Errorf("%d referrals wait in the queue, want %d", queued, people-8)
		}
	})
}

// TestUnroutableQueuedReferralDoesNotBlock: a referral waiting in the queue whose person
// moved where no office covers cannot be routed; freeing capacity still works and the
// referral keeps waiting.
func TestUnroutableQueuedReferralDoesNotBlock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		office := models.Office{Name: "SNE Chiapas", State: "MX-CHP", CoverageStates: []string{"MX-CHP"}}
		if err := s.CreateOffice(ctx, &office); err != nil {
			t.Fatal(err)
		}
		c := models.Counsellor{Name: "Ana", Email: "ana@sne.example", OfficeID: office.ID, Languages: []string{"es"}, Capacity: 1}
		if err := s.CreateCounsellor(ctx, &c, &models.User{Name: "Ana", Role: models.RoleCounsellor}, "hash-"+models.NewID()); err != nil {
			t.Fatal(err)
		}
		e := newEmployer(t, s, "UNR010101AB1")
		v := newVacancy(e.ID)
		v.State = "MX-CHP"
		if err := s.CreateVacancy(ctx, &v); err != nil {
			t.Fatal(err)
		}
		x, y := newCandidate("X-1"), newCandidate("Y-1")
		for _, p := range []*models.Candidate{&x, &y} {
			if err := s.CreateCandidate(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		first := models.Referral{CandidateID: x.ID, VacancyID: v.ID, RequestedBy: "t"}
		waiting := models.Referral{CandidateID: y.ID, VacancyID: v.ID, RequestedBy: "t"}
		for _, r := range []*models.Referral{&first, &waiting} {
			if err := s.CreateReferral(ctx, r, route); err != nil {
				t.Fatal(err)
			}
		}
		if waiting.CounsellorID != "" {
			t.Fatalf("the second referral should wait in the queue, went to %q", waiting.CounsellorID)
		}
		y.CurrentState = "MX-YUC" // no office covers Yucatán and there is no national queue
		if err := s.UpdateCandidate(ctx, &y); err != nil {
			t.Fatal(err)
		}
		withdraw := func(ref models.Referral, _ models.Vacancy, _ models.Candidate) (models.ReferralEvent, error) {
			return models.ReferralEvent{From: ref.Status, To: models.ReferralWithdrawn, By: "t", At: storetest.ClockOf(t, s).Now(), Note: "duplicado"}, nil
		}
		if _, err := s.TransitionReferral(ctx, first.ID, withdraw, route); err != nil {
			t.Fatalf("withdrawing the first referral failed because of the unroutable one: %v", err)
		}
		got, err := s.Referral(ctx, waiting.ID)
		if err != nil || got.CounsellorID != "" || got.Status != models.ReferralPending {
			t.Fatalf("the unroutable referral: %+v %v", got, err)
		}
	})
}
