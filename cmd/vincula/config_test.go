package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestConfigReadsLimitsAndLogFormat: the HTTP timeouts, the upload and body caps, the
// import workers and the log format come from the environment, with the defaults when
// unset; a value that is not one is refused naming the variable.
func TestConfigReadsLimitsAndLogFormat(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	cfg, err := configFromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP != defaultHTTP || cfg.MaxUploadBytes != 0 || cfg.ImportWorkers != 0 || cfg.LogJSON {
		t.Fatalf("defaults: %+v", cfg)
	}
	cfg, err = configFromEnv(env(map[string]string{"VINCULA_READ_HEADER_TIMEOUT": "2s", "VINCULA_READ_TIMEOUT": "90s",
		"VINCULA_WRITE_TIMEOUT": "2m", "VINCULA_IDLE_TIMEOUT": "5m", "VINCULA_SHUTDOWN_TIMEOUT": "45s", "VINCULA_UPLOAD_TIMEOUT": "30m",
		"VINCULA_MAX_UPLOAD_BYTES": "128MiB", "VINCULA_MAX_BODY_BYTES": "524288", "VINCULA_IMPORT_WORKERS": "4", "VINCULA_LOG_FORMAT": "JSON"}))
	if err != nil {
		t.Fatal(err)
	}
	want := httpTimeouts{ReadHeader: 2 * time.Second, Read: 90 * time.Second, Write: 2 * time.Minute, Idle: 5 * time.Minute, Shutdown: 45 * time.Second}
	if cfg.HTTP != want || cfg.UploadTimeout != 30*time.Minute || cfg.MaxUploadBytes != 128<<20 || cfg.MaxBodyBytes != 512<<10 ||
		cfg.ImportWorkers != 4 || !cfg.LogJSON {
		t.Fatalf("read: %+v", cfg)
	}
	for name, bad := range map[string]string{"VINCULA_READ_TIMEOUT": "soon", "VINCULA_MAX_UPLOAD_BYTES": "lots", "VINCULA_IMPORT_WORKERS": "0",
		"VINCULA_LOG_FORMAT": "xml", "VINCULA_MAX_BODY_BYTES": "-1"} {
		if _, err := configFromEnv(env(map[string]string{name: bad})); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v", name, bad, err)
		}
	}

	// The log in JSON: one object a line.
	m, _, errOut := newMain(t, context.Background(), map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_LOG_FORMAT": "json"})
	if err := m.Run([]string{"migrate"}); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil || v["msg"] == nil || v["level"] == nil {
			t.Fatalf("log line %q is not a JSON record: %v", l, err)
		}
	}
	if !strings.Contains(errOut.String(), "generated a new key") {
		t.Fatalf("log: %s", errOut)
	}
}
