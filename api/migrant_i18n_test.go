package api

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestRuleMessagesComplete: every rule a migrant's profile can fail with its value
// quoted is said in Spanish, French and Haitian Creole, and a message lists the allowed
// values exactly when there is a list for its rule. (curp stays English: its messages
// explain which part of the CURP is wrong; candidatestatus is set by staff.)
func TestRuleMessagesComplete(t *testing.T) {
	want := []string{"country", "doctype", "edulevel", "gender", "isco", "langcode", "langlevel", "mxstate", "nationality", "phone"}
	if got := slices.Sorted(maps.Keys(ruleMessages)); !slices.Equal(got, want) {
		t.Fatalf("rules translated: %v, want %v", got, want)
	}
	for rule, byLang := range ruleMessages {
		for _, l := range []lang{langES, langFR, langHT} {
			m, ok := byLang[l]
			if !ok {
				t.Errorf("%s has no %s message", rule, l)
				continue
			}
			if _, listed := ruleLists[rule]; strings.Contains(m, "{list}") != listed {
				t.Errorf("%s in %s: {list} in the message is %v, a list for the rule is %v", rule, l, !listed, listed)
			}
			if strings.Contains(m, "{value}") == (rule == "phone") {
				t.Errorf("%s in %s: the message should quote the value (phone's does not)", rule, l)
			}
		}
	}
	if got := joinOr([]string{"A1", "A2", "native"}, langHT); got != "A1, A2 oswa native" {
		t.Errorf("joinOr: %q", got)
	}
}
