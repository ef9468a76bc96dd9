package models

import (
	"sync"
	"testing"
)

func TestNewIDSortsInCreationOrder(t *testing.T) {
	prev := NewID()
	for i := 0; i < 100000; i++ {
		id := NewID()
		if len(id) != 26 {
			t.Fatalf("%q has %d characters, want 26", id, len(id))
		}
		if id <= prev {
			t.Fatalf("ID %d (%s) does not sort after %s", i, id, prev)
		}
		prev = id
	}
}

func TestNewIDIsUniqueAcrossGoroutines(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5000; i++ {
				id := NewID()
				mu.Lock()
				if seen[id] {
					t.Errorf("duplicate ID %s", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
