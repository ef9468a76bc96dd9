package ranking

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
)

// TestTopIsTheSortedPrefix: the heap keeps exactly the first k of the full order
// (score, then ID), ties included.
func TestTopIsTheSortedPrefix(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		list := make([]ranked, r.IntN(300))
		for i := range list {
			list[i] = ranked{id: fmt.Sprintf("c%04d", r.IntN(10000)), score: float64(r.IntN(20)) / 20}
		}
		sorted := slices.Clone(list)
		slices.SortFunc(sorted, func(a, b ranked) int { return better(&a, &b) })
		k := r.IntN(len(list) + 5)
		got := top(list, k)
		if want := sorted[:min(k, len(sorted))]; !slices.Equal(got, want) {
			t.Fatalf("top %d of %d: %v, want %v", k, len(list), got, want)
		}
	}
}

// TestCursors: a cursor given out reads back; anything else is refused.
func TestCursors(t *testing.T) {
	for _, off := range []int{0, 1, 37, maxOffset} {
		if got, err := parseCursor(*cursorAt(off)); err != nil || got != off {
			t.Errorf("cursor at %d reads %d, %v", off, got, err)
		}
	}
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	if got, err := parseCursor(enc("w2.5")); err != nil || got != 205 {
		t.Errorf("an earlier cursor reads %d, %v", got, err)
	}
	for _, bad := range []string{"!", enc("o-1"), enc(fmt.Sprint("o", maxOffset+1)), enc("o1x"), enc("w50001.0"), enc("w0.201"), enc("o01")} {
		if _, err := parseCursor(bad); err == nil {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}

// TestBestOfPrunesExactly: scoring only the records whose bound reaches the k-th best
// gives the same best k as scoring all, on one core and on two.
func TestBestOfPrunesExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 5, 300, parallelFrom + 77} {
		list := make([]ranked, n)
		scores := map[string]float64{}
		slack := map[string]float64{}
		for i := range list {
			id := fmt.Sprintf("c%05d", i)
			list[i] = ranked{id: id}
			scores[id] = float64(r.IntN(50)) / 50
			slack[id] = float64(r.IntN(3)) / 10
		}
		all := slices.Clone(list)
		for i := range all {
			all[i].score = scores[all[i].id]
		}
		var scored atomic.Int64
		for _, k := range []int{1, 20, 60, n + 1} {
			got := bestOf(list, k, func() (func(*ranked) float64, func(*ranked) float64) {
				return func(x *ranked) float64 { return scores[x.id] + slack[x.id] },
					func(x *ranked) float64 { scored.Add(1); return scores[x.id] }
			})
			if want := top(all, k); !slices.Equal(got, want) {
				t.Fatalf("n %d, k %d: %v, want %v", n, k, got, want)
			}
		}
		if n > 1000 && scored.Load() >= int64(4*n) {
			t.Errorf("n %d: every record scored (%d scorings), nothing pruned", n, scored.Load())
		}
	}
}
