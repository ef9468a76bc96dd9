package main

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestFollowerMetricsLint: the index follower's metrics gather, read the follower
// (a fresh one: no lag, no failures), and pass promtool's linter.
func TestFollowerMetricsLint(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ix, err := search.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	reg := prometheus.NewRegistry()
	reg.MustRegister(followerCollectors(search.NewFollower(ix, st, spanFunc(matching.DefaultRules()), nil))...)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		m := f.GetMetric()[0]
		got[f.GetName()] = m.GetGauge().GetValue() + m.GetCounter().GetValue()
	}
	want := map[string]float64{"vincula_index_lag_changes": 0, "vincula_index_skipped_changes_total": 0,
		"vincula_index_follower_consecutive_failures": 0, "vincula_index_follower_errors_total": 0}
	if len(got) != len(want) {
		t.Fatalf("families %v, want %v", got, want)
	}
	for name, v := range want {
		if g, ok := got[name]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", name, g, ok, v)
		}
	}
	problems, err := promlint.NewWithMetricFamilies(families).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promtool check metrics: %s: %s", p.Metric, p.Text)
	}
}
