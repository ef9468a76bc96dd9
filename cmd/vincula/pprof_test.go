package main

import (
	"strings"
	"testing"
)

// TestPprofLoopbackOnly: the profiler is served on a loopback address and refused on
// any other, naming the variable.
func TestPprofLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "192.0.2.1:6060", "example.org:6060"} {
		if _, err := servePprof(addr); err == nil || !strings.HasPrefix(err.Error(), "VINCULA_PPROF_ADDR: ") {
			t.Errorf("%s: %v, want a refusal naming VINCULA_PPROF_ADDR", addr, err)
		}
	}
	stop, err := servePprof("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop()
}
