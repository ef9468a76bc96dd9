package main

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/vincula/vincula/models"
)

// latencies are the durations of single requests.
type latencies []time.Duration

// quantile returns the q-quantile (0 < q ≤ 1) by the nearest-rank method: the
// smallest duration that at least q of the requests did not exceed.
func (l latencies) quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	k := int(math.Ceil(q*float64(len(s)))) - 1
	return s[min(max(k, 0), len(s)-1)]
}

// topFunc answers one vacancy with the IDs of the first page of its candidates.
type topFunc func(ctx context.Context, v models.Vacancy) ([]string, error)

// throughput runs clients concurrent clients, each making perClient requests over vs,
// and returns the requests per second of wall time. Request j of client k asks
// vacancy k + j·clients, so the clients ask different vacancies at the same time and,
// with the same total, every number of clients asks the same vacancies.
func throughput(ctx context.Context, clients, perClient int, vs []models.Vacancy, top topFunc) (float64, error) {
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	start := time.Now()
	for k := range clients {
		wg.Go(func() {
			for j := range perClient {
				if _, err := top(ctx, vs[(k+j*clients)%len(vs)]); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return float64(clients*perClient) / wall.Seconds(), nil
}
