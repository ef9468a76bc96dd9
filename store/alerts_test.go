package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestRecordAlertOncePerPerson: sweeps racing on one saved search announce each person
// once, in one notice; within the interval nothing more goes out, and after it only
// people not announced before; a deleted search's record is gone with it.
func TestRecordAlertOncePerPerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		clock := storetest.ClockOf(t, s)
		var ids []string
		for i := 0; i < 3; i++ {
			c := newCandidate(fmt.Sprintf("TVRH-ALERT-%d", i))
			if err := s.CreateCandidate(ctx, &c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		ss := models.SavedSearch{OwnerID: "user-c", OwnerRole: models.RoleCounsellor, OfficeID: "office-1", Name: "costura",
			Query: models.SearchQuery{Q: "costura"}}
		if err := s.CreateSavedSearch(ctx, &ss, ids[:1]); err != nil {
			t.Fatal(err)
		}
		alert := func(cands []string) store.Alert {
			return store.Alert{Source: store.SearchSource(ss.ID), Candidates: cands, SearchID: ss.ID, MinInterval: 24 * time.Hour,
				NoticeTo: "user-c", Kind: models.NoticeSearchAlert, Message: func(n int) string { return fmt.Sprintf("%d new", n) }}
		}
		fresh, err := s.Unannounced(ctx, store.SearchSource(ss.ID), ids)
		if err != nil || len(fresh) != 2 {
			t.Fatalf("unannounced after the baseline: %v %v", fresh, err)
		}
		var wg sync.WaitGroup
		sent := make([][]string, 4)
		for i := range sent {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := s.RecordAlert(ctx, alert(ids[1:2]))
				if err != nil {
					t.Errorf("record alert: %v", err)
				}
				sent[i] = got
			}()
		}
		wg.Wait()
		total := 0
		for _, got := range sent {
			total += len(got)
		}
		if total != 1 {
			t.Fatalf("racing sweeps announced %d times: %v", total, sent)
		}
		if got, _ := s.RecordAlert(ctx, alert(ids[2:])); len(got) != 0 {
			t.Fatalf("a second alert within the day: %v", got)
		}
		clock.Advance(24 * time.Hour)
		if got, _ := s.RecordAlert(ctx, alert(ids)); len(got) != 1 || got[0] != ids[2] {
			t.Fatalf("after the day: %v, want only %s", got, ids[2])
		}
		notices, _, err := s.Notices(ctx, "user-c", store.Page{Limit: 10})
		if err != nil || len(notices) != 2 || notices[0].Message != "1 new" {
			t.Fatalf("notices: %+v %v", notices, err)
		}
		if err := s.DeleteSavedSearch(ctx, ss.ID); err != nil {
			t.Fatal(err)
		}
		clock.Advance(24 * time.Hour)
		if got, _ := s.RecordAlert(ctx, alert(ids)); len(got) != 0 {
			t.Fatalf("a deleted search alerted: %v", got)
		}
	})
}
