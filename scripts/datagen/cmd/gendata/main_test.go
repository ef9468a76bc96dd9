package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantLines int
		wantFirst string // prefix of the first line's id
		wantErr   bool
	}{
		{"candidates then vacancies", []string{"-seed", "4", "-candidates", "3", "-vacancies", "2", "-today", "2026-02-01"}, 5, "cand-", false},
		{"employers first", []string{"-candidates", "1", "-vacancies", "1", "-employers"}, 7, "emp-", false},
		{"vacancies only", []string{"-candidates", "0", "-vacancies", "4"}, 4, "vac-", false},
		{"bad date", []string{"-today", "2026-02-30"}, 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first, second bytes.Buffer
			err := run(tt.args, &first)
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := run(tt.args, &second); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Error("two runs with the same flags wrote different bytes")
			}
			lines := strings.Split(strings.TrimSuffix(first.String(), "\n"), "\n")
			if len(lines) != tt.wantLines {
				t.Fatalf("%d lines, want %d", len(lines), tt.wantLines)
			}
			var rec struct{ ID string }
			if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(rec.ID, tt.wantFirst) {
				t.Errorf("first record %q, want an id starting %q", rec.ID, tt.wantFirst)
			}
		})
	}
}
