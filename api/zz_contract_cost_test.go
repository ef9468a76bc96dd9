package api_test

import (
	"sort"
	"testing"
)

// TestZZContractCost runs last (its file sorts last): it reports how many answers the
// contract check validated in this run, for how many operations, and the time it took;
// and, in a run of the whole package, that the tests' answers reached most operations.
func TestZZContractCost(t *testing.T) {
	if contract.doc != nil {
		drainContract()
	}
	contract.mu.Lock()
	defer contract.mu.Unlock()
	total := 0
	var ops []string
	for op, n := range contract.checked {
		total += n
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool { return contract.spentOn[ops[i]] > contract.spentOn[ops[j]] })
	t.Logf("contract check: %d answers to %d operations validated in %v", total, len(ops), contract.spent)
	for _, op := range ops[:min(5, len(ops))] {
		t.Logf("  %v on %d answers to %s", contract.spentOn[op], contract.checked[op], op)
	}
	if contract.doc == nil {
		t.Skip("no test environment was made in this run")
	}
	if testing.Short() || len(contract.checked) < 2 {
		return
	}
	documented := 0
	for _, item := range contract.doc.Paths.Map() {
		documented += len(item.Operations())
	}
	// A run of the whole package reaches (nearly) every operation; a run of a few tests
	// reaches few, and is not judged.
	if total > 10_000 && len(ops) < documented*9/10 {
		t.Errorf("the tests' answers reached only %d of %d operations: %v", len(ops), documented, ops)
	}
}
