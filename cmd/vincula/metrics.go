package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vincula/vincula/search"
)

// followerCollectors report the index follower on /metrics: how far the index is
// behind the change feed, the catch-ups failed in a row and in all, and the changes set
// aside because their record could not be read.
func followerCollectors(f *search.Follower) []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vincula_index_lag_changes",
			Help: "Change-feed sequences the search index is behind the database (-1 when the database does not answer)."},
			func() float64 {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				lag, err := f.Lag(ctx)
				if err != nil {
					return -1
				}
				return float64(lag)
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "vincula_index_skipped_changes_total",
			Help: "Changes the index follower set aside because their record could not be read."},
			func() float64 { _, skipped := f.Counts(); return float64(skipped) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vincula_index_follower_consecutive_failures",
			Help: "Catch-ups with the change feed that failed in a row (readiness fails at 3)."},
			func() float64 { failures, _ := f.Counts(); return float64(failures) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "vincula_index_follower_errors_total",
			Help: "Catch-ups with the change feed that failed since the start."},
			func() float64 { return float64(f.FailedTotal()) }),
	}
}
