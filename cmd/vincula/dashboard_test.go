package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoDashboard: after `serve --demo`, the demo admin signs in to the console and
// the programme dashboard shows the demo data's funnel: 9 people registered, 6 who may
// work somewhere today (not the child of 13, the regional visitor, nor the man whose
// humanitarian card expired and whose temporary residence has no work permit), and the
// 3 referred hidden as fewer than 5.
func TestDemoDashboard(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	m, _, errOut := newMain(t, ctx, map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_ADDR": addr})
	done := make(chan error, 1)
	go func() { done <- m.Run([]string{"serve", "--demo"}) }()
	defer func() { cancel(); <-done }()
	base := "http://" + addr
	var err error
	for range 200 {
		var resp *http.Response
		if resp, err = http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, errOut)
	}
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar}
	get := func(path string) string {
		t.Helper()
		res, err := cl.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		return string(b)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get("/console/signin"))
	if csrf == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	res, err := cl.PostForm(base+"/console/signin", url.Values{"csrf": {csrf[1]}, "email": {"admin@demo.example"},
		"password": {demoPassword}, "next": {"/console/dashboard"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(b)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Tablero del programa") {
		t.Fatalf("sign in and open the dashboard: %d\n%s", res.StatusCode, page)
	}
	funnel := regexp.MustCompile(`<th scope="row">([^<]+)</th>\s*<td class="num">(?:<span[^>]*>)?([^<]+)<`).FindAllStringSubmatch(page, 5)
	var got []string
	for _, f := range funnel {
		got = append(got, f[1]+"="+f[2])
	}
	if want := "Inscritas=9 Pueden trabajar=6 Canalizadas=oculto Entrevistadas=oculto Contratadas=oculto"; strings.Join(got, " ") != want {
		t.Fatalf("the demo funnel: %s, want %s", strings.Join(got, " "), want)
	}
}
