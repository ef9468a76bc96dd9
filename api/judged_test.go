package api_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/eval"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// The figures the ranking reached on the judged set when this test was last measured
// (2026-12-08, issue 20's rules and weights: mean nDCG@10 0.928, recall of the relevant
// 0.85, noise 0.22), with a margin of 0.02 each way: a change that loses more than that
// fails here. Raise them when the ranking improves (make eval prints the figures).
const (
	judgedNDCGFloor   = 0.908
	judgedRecallFloor = 0.83
	judgedNoiseCeil   = 0.24
)

// TestJudgedSet ranks the project's judged set (scripts/eval/testdata) through the API,
// paging through GET /vacancies/{id}/matches as a counsellor, and measures the lists
// against the recruiters' grades: nDCG@10, precision@5, recall of the relevant and the
// share of noise. With VINCULA_EVAL_REPORT set it prints the table and what each list
// left out or let in (make eval).
func TestJudgedSet(t *testing.T) {
	set, err := eval.Load("../scripts/eval/testdata/judged.json")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		vs, cs := set.Records(models.DateOf(storetest.Epoch), e.empA.ID)
		if err := st.BulkCreateVacancies(ctx, vs); err != nil {
			t.Fatal(err)
		}
		if err := st.BulkCreateCandidates(ctx, cs); err != nil {
			t.Fatal(err)
		}
		e.sync()
		var results []eval.Result
		for _, v := range vs {
			var list []string
			path := "/api/v1/vacancies/" + v.ID + "/matches?limit=100"
			for {
				page := e.must(http.StatusOK, e.do("GET", path, e.as(C), nil))
				list = append(list, candidateIDs(page)...)
				next, _ := page["next_cursor"].(string)
				if next == "" {
					break
				}
				path = "/api/v1/vacancies/" + v.ID + "/matches?limit=100&cursor=" + url.QueryEscape(next)
			}
			results = append(results, eval.Judge(v.ID, list, set.Grades(v.ID)))
		}
		sum := eval.Summarize(results)
		if os.Getenv("VINCULA_EVAL_REPORT") != "" {
			var b strings.Builder
			eval.Table(&b, results)
			eval.Explain(&b, results, set.Grades)
			t.Logf("judged set on %s:\n%s", st.Dialect(), b.String())
		}
		t.Logf("mean nDCG@10 %.3f, precision@5 %.2f, recall %.2f, noise %.2f", sum.NDCG10, sum.Precision5, sum.Recall, sum.Noise)
		if sum.NDCG10 < judgedNDCGFloor {
			t.Errorf("mean nDCG@10 %.3f fell below %.3f", sum.NDCG10, judgedNDCGFloor)
		}
		if sum.Recall < judgedRecallFloor {
			t.Errorf("mean recall of the relevant %.3f fell below %.3f", sum.Recall, judgedRecallFloor)
		}
		if sum.Noise > judgedNoiseCeil {
			t.Errorf("mean noise %.3f rose above %.3f", sum.Noise, judgedNoiseCeil)
		}
	})
}
