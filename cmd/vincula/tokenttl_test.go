package main

import (
	"strings"
	"testing"
	"time"
)

// TestTokenTTLFromEnv: VINCULA_TOKEN_TTL sets the staff and employer tokens' lifetime;
// unset leaves the API's default; a bad value stops start-up naming the variable.
func TestTokenTTLFromEnv(t *testing.T) {
	cfg, err := configFromEnv(func(k string) string {
		if k == "VINCULA_TOKEN_TTL" {
			return " 168h "
		}
		return ""
	})
	if err != nil || cfg.TokenTTL != 7*24*time.Hour {
		t.Fatalf("VINCULA_TOKEN_TTL=168h: %v %v", cfg.TokenTTL, err)
	}
	if cfg, err := configFromEnv(func(string) string { return "" }); err != nil || cfg.TokenTTL != 0 {
		t.Fatalf("unset: %v %v", cfg.TokenTTL, err)
	}
	for _, bad := range []string{"30d", "10ms", "-1h"} {
		_, err := configFromEnv(func(k string) string {
			if k == "VINCULA_TOKEN_TTL" {
				return bad
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), "VINCULA_TOKEN_TTL") {
			t.Errorf("VINCULA_TOKEN_TTL=%s: %v", bad, err)
		}
	}
}
