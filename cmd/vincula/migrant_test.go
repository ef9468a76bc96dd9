package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/search"
)

// TestMigrantPagesServed: the binary serves the migrants' pages under /m/ beside the
// console and the API, in the browser's language.
func TestMigrantPagesServed(t *testing.T) {
	env := map[string]string{"VINCULA_DATA_DIR": t.TempDir()}
	cfg, err := configFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ := newMain(t, context.Background(), env)
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	st, err := openStore(m, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := search.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srv, err := api.New(st, api.Config{Index: ix, Now: m.now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	h, err := withConsole(st, srv, nil, cfg, m)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct{ path, want string }{
		{"/m/", `<html lang="ht">`}, {"/m/m.css", "system-ui"}, {"/m/register", `action="/m/register"`}, {"/m", ""},
	} {
		req, _ := http.NewRequest("GET", ts.URL+c.path, nil)
		req.Header.Set("Accept-Language", "ht, fr;q=0.5")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if c.want == "" {
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/m/" {
				t.Errorf("%s: %d %s", c.path, res.StatusCode, res.Header.Get("Location"))
			}
			continue
		}
		if res.StatusCode != http.StatusOK || !strings.Contains(string(b), c.want) {
			t.Errorf("%s: %d, no %q", c.path, res.StatusCode, c.want)
		}
	}
}
