package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestHostileInputNeverA5xx sends the hostile classes of issue 12 to every route of
// the route table, with the token of a role the route admits: NUL and invalid UTF-8 in
// path IDs, query parameters and JSON bodies; huge strings and lists; huge, negative
// and fractional numbers; out-of-range and impossible dates; values of the wrong JSON
// type; broken and oversized bodies; crafted cursors and cursors of other lists;
// oversized free text. The bodies are built from each route's request schema in the
// OpenAPI document, so a new route or field is covered without touching this test. No
// answer may be a 5xx.
func TestHostileInputNeverA5xx(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		h := newHostile(t, e)
		routes := e.server.RouteSpecs()
		// Erasures last, so the other routes meet the real records first.
		sort.SliceStable(routes, func(i, j int) bool { return routes[i].Method != "DELETE" && routes[j].Method == "DELETE" })
		for _, r := range routes {
			h.route(r)
			// The other roles take other paths through the handlers (an employer's
			// minimised view, ownership checks): they get the path IDs and cursors.
			for _, role := range r.Roles {
				if h.as = models.Role(role); h.token(r) != h.primary(r) {
					h.pathsAndCursors(r)
				}
			}
			h.as = ""
		}
		t.Logf("%d hostile requests to %d routes; answers by status: %v", h.sent, len(routes), h.statuses)
		if len(h.failures) > 0 {
			t.Fatalf("%d answers were 5xx, among them:\n%s", len(h.failures), strings.Join(h.failures[:min(len(h.failures), 30)], "\n"))
		}
	})
}

type hostile struct {
	t        *testing.T
	e        *env
	doc      map[string]any
	ids      map[string]string // the collection a path names → a real ID in it
	docID    string
	migrant  string // a registered migrant's token
	lists    []string
	as       models.Role // when set, the role whose token is sent
	sent     int
	statuses map[int]int
	failures []string
}

func newHostile(t *testing.T, e *env) *hostile {
	h := &hostile{t: t, e: e, ids: map[string]string{}, statuses: map[int]int{}}
	ctx := context.Background()
	v := forkliftVacancy(e.empA.ID)
	if err := e.store.BulkCreateVacancies(ctx, []models.Vacancy{v}); err != nil {
		t.Fatal(err)
	}
	cand := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(A), candidateBody()))
	h.docID = cand["documents"].([]any)[0].(map[string]any)["id"].(string)
	e.sync()
	h.ids = map[string]string{"vacancies": v.ID, "candidates": cand["id"].(string), "employers": e.empA.ID,
		"offices": e.office.ID, "counsellors": e.counsel.ID, "job-fairs": e.fair.ID, "referrals": "none", "imports": "none"}
	if r := e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": h.ids["candidates"], "vacancy_id": v.ID}); r.status == http.StatusCreated {
		h.ids["referrals"] = r.json(t)["id"].(string)
	}
	reg := candidateBody()
	reg["phone"], reg["pin"] = "+529621119999", "482913"
	delete(reg, "documents")
	if r := e.do("POST", "/api/v1/migrants/register", "", reg); r.status == http.StatusCreated {
		h.migrant = r.json(t)["token"].(string)
	} else {
		h.migrant = e.as(M)
	}
	h.doc = e.must(http.StatusOK, e.do("GET", "/api/v1/openapi.json", "", nil))
	for _, r := range e.server.RouteSpecs() {
		if slices.Contains(r.Query, "cursor") {
			h.lists = append(h.lists, r.Path)
		}
	}
	return h
}

// token is the bearer token of h.as, or of a role the route admits (an admin when it
// may).
func (h *hostile) token(r api.RouteSpec) string {
	switch {
	case h.as == models.RoleMigrant:
		return h.migrant
	case h.as != "":
		return h.e.tokens[h.as]
	}
	return h.primary(r)
}

func (h *hostile) primary(r api.RouteSpec) string {
	switch {
	case r.Public:
		return ""
	case slices.Contains(r.Roles, string(models.RoleAdmin)):
		return h.e.as(A)
	case slices.Contains(r.Roles, string(models.RoleMigrant)):
		return h.migrant
	}
	return h.e.tokens[models.Role(r.Roles[0])]
}

// path fills the route's parameters with real IDs, or with raw (already escaped) text
// for parameter number hostileAt.
func (h *hostile) path(r api.RouteSpec, hostileAt int, raw string) string {
	segs := strings.Split(r.Path, "/")
	n := 0
	for i, seg := range segs {
		name, ok := strings.CutPrefix(seg, ":")
		if !ok {
			continue
		}
		switch {
		case n == hostileAt:
			segs[i] = raw
		case name == "doc_id":
			segs[i] = h.docID
		default:
			segs[i] = url.PathEscape(h.ids[segs[i-1]])
		}
		n++
	}
	return strings.Join(segs, "/")
}

func (h *hostile) send(r api.RouteSpec, path string, body any) {
	h.t.Helper()
	h.sent++
	var res response
	switch b := body.(type) {
	case nil, string, []byte:
		res = h.e.do(r.Method, path, h.token(r), b)
	default:
		res = h.e.do(r.Method, path, h.token(r), hostileJSON(h.t, b))
	}
	h.statuses[res.status]++
	if res.status >= 500 {
		desc := fmt.Sprint(body)
		if len(desc) > 120 {
			desc = desc[:120] + "…"
		}
		if len(path) > 160 {
			path = path[:160] + "…"
		}
		h.failures = append(h.failures, fmt.Sprintf("%s %s %s → %d %.300s", r.Method, path, desc, res.status, res.body))
	}
}

func (h *hostile) upload(r api.RouteSpec, path string, fields map[string]string, name string, content []byte) {
	h.t.Helper()
	if r.Method != "POST" {
		return // the helper posts
	}
	h.sent++
	tok := h.token(r)
	res := h.e.upload(path, tok, fields, name, content)
	h.statuses[res.status]++
	if res.status >= 500 {
		h.failures = append(h.failures, fmt.Sprintf("%s %s upload %q %q → %d %.300s", r.Method, path, fields, name, res.status, res.body))
	}
}

// hostileParams are raw (already escaped) values for path and query parameters.
var hostileParams = []string{
	"%00", "a%00b", "%ff", "abc%fe%ff", "%ed%a0%80", "%c0%80", strings.Repeat("9", 5000), strings.Repeat("%C3%B1", 600),
	"-1", "0", "99999999999999999999", "-9223372036854775808", "NaN", "1e308", "-1e308", "0x10",
	"9999-12-31", "0001-01-01", "2026-02-30", "1899-12-31", "%5B%5D", "%7B", "a%2Fb", "%2e%2e", "%20",
	url.QueryEscape(strings.Repeat("soldador ", 200)), url.QueryEscape(strings.Repeat("a", 257)),
}

// pathsAndCursors sends hostile path parameters and cursors.
func (h *hostile) pathsAndCursors(r api.RouteSpec) {
	for i := range strings.Count(r.Path, ":") {
		for _, raw := range hostileParams {
			h.send(r, h.path(r, i, raw), nil)
		}
	}
	if slices.Contains(r.Query, "cursor") {
		base := h.path(r, -1, "") + "?state=MX-NLE&cursor="
		for _, cur := range h.cursors(r) {
			h.send(r, base+cur, nil)
		}
	}
}

func (h *hostile) route(r api.RouteSpec) {
	base := h.path(r, -1, "")
	// Path parameters.
	for i := range strings.Count(r.Path, ":") {
		for _, raw := range hostileParams {
			h.send(r, h.path(r, i, raw), nil)
		}
	}
	// Query parameters: the route's own, and the paging and search ones every list
	// might read.
	params := append(slices.Clone(r.Query), "limit", "cursor", "q")
	baseQuery := url.Values{}
	if slices.Contains(r.Query, "state") {
		baseQuery.Set("state", "MX-NLE")
	}
	for _, p := range params {
		values := slices.Clone(hostileParams)
		if p == "cursor" {
			values = append(values, h.cursors(r)...)
		}
		for _, raw := range values {
			q := baseQuery.Encode()
			if q != "" {
				q += "&"
			}
			h.send(r, base+"?"+q+url.QueryEscape(p)+"="+raw, nil)
		}
		h.send(r, base+"?"+p+"=1&"+p+"=1000&"+p+"=%00", nil)
	}
	// Bodies, to every route that changes something (and a few to the others).
	for _, b := range brokenBodies {
		h.send(r, base, b)
	}
	if r.Method == "GET" {
		return
	}
	// Multipart uploads (the imports take them): hostile file names, form fields and
	// cells that a spreadsheet would run as formulas.
	csv := []byte("Razón social;RFC;Puesto;Estado;Vacantes;Fecha de inicio\n=cmd|'/c calc'!A1;MNO120315AB1;@SUM(A1);Nuevo León;+1;-1\n")
	for _, name := range []string{"a\x00b.csv", "a\xffb.csv", "\xed\xa0\x80.csv", strings.Repeat("n", 5000) + ".csv", "../../etc/passwd.csv", ".csv"} {
		h.upload(r, base, nil, name, csv)
	}
	for _, field := range []string{"mode", "dry_run", "sheet"} {
		for _, v := range []string{"\x00", "\xff", strings.Repeat("s", 5000), "-1"} {
			h.upload(r, base, map[string]string{field: v}, "vacantes.csv", csv)
		}
	}
	h.upload(r, base, map[string]string{"\x00": "x"}, "vacantes.csv", csv)
	schema := h.requestSchema(r)
	good := goodBody(h, r)
	for _, n := range schemaNodes(schema, nil, 0) {
		for _, val := range hostileValues(n.schema) {
			h.send(r, base, setPath(deepCopy(good), n.path, val))
		}
	}
}

// cursors are crafted cursors for route r: its own tag around positions that overflow
// or point nowhere, and well-formed cursors of every other list.
func (h *hostile) cursors(r api.RouteSpec) []string {
	var out []string
	for _, pos := range []string{"w9223372036854775807.9223372036854775807", "w-1.-1", "w50000.200", "q9223372036854775807",
		"q-1", "q1000000", "o9223372036854775807", "o-1", "o1e9", "\x00", "a\xffb", strings.Repeat("z", 700), "w1.1", "q20", h.ids["vacancies"], h.ids["candidates"]} {
		out = append(out, url.QueryEscape(api.TagCursor(r.Path, pos)))
	}
	for _, other := range h.lists {
		if other == r.Path {
			continue
		}
		for _, pos := range []string{"w0.5", "q20", h.ids["vacancies"]} {
			out = append(out, url.QueryEscape(api.TagCursor(other, pos)))
		}
	}
	return append(out, "cTkyMjMzNzIwMzY4NTQ3NzU4MDc", "dzkyMjMzNzIwMzY4NTQ3NzU4LjA", "***", "%3D%3D%3D")
}

// brokenBodies are bodies that are not a JSON object, or not JSON, or too big.
var brokenBodies = []any{
	"", "null", "[]", `"x"`, "{", "12", `{"a":` + strings.Repeat("[", 5000), strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
	`{"x": 1e400}`, "\xef\xbb\xbf{}", "{\"\x00\": 1}", "{\"a\xff\": 1}", `{"\ud800": 1}`, []byte{'{', '"', 0xff, '"', ':', '1', '}'},
	`{"description": "` + strings.Repeat("ñ", 400_000) + `"}`, strings.Repeat(" ", 2<<20) + "{}",
}

func (h *hostile) requestSchema(r api.RouteSpec) map[string]any {
	path := strings.Split(r.Path, "/")
	for i, seg := range path {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			path[i] = "{" + name + "}"
		}
	}
	op, _ := h.doc["paths"].(map[string]any)[strings.Join(path, "/")].(map[string]any)[strings.ToLower(r.Method)].(map[string]any)
	rb, _ := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	schema, _ := js["schema"].(map[string]any)
	return schema
}

// goodBody is a valid body for the routes whose bodies the tests know, so hostile
// values in one field meet the code past validation of the others; other routes start
// from an empty object.
func goodBody(h *hostile, r api.RouteSpec) map[string]any {
	e := h.e
	switch r.Method + " " + r.Path {
	case "POST /api/v1/vacancies", "PATCH /api/v1/vacancies/:id":
		return vacancyBody(e.empA.ID)
	case "POST /api/v1/candidates", "PATCH /api/v1/candidates/:id", "PATCH /api/v1/me":
		return candidateBody()
	case "POST /api/v1/migrants/register":
		b := candidateBody()
		b["pin"] = "482913"
		return b
	case "POST /api/v1/migrants/login":
		return map[string]any{"phone": "+529621119999", "pin": "000000"}
	case "POST /api/v1/employers":
		return map[string]any{"name": "Empacadora del Valle", "rfc": uniqueRFC("EVA"), "state": "MX-SIN"}
	case "POST /api/v1/offices":
		return map[string]any{"name": "SNE Nuevo León", "state": "MX-NLE", "coverage_states": []string{"MX-NLE"}}
	case "POST /api/v1/counsellors":
		return map[string]any{"name": "Luis", "email": "luis@sne.example", "office_id": e.office.ID, "languages": []string{"es"}, "capacity": 5}
	case "PATCH /api/v1/counsellors/:id":
		return map[string]any{"capacity": 12, "active": true}
	case "POST /api/v1/referrals":
		return map[string]any{"candidate_id": h.ids["candidates"], "vacancy_id": h.ids["vacancies"], "note": "ok"}
	case "POST /api/v1/referrals/:id/transitions":
		return map[string]any{"to": "contacted", "note": "called"}
	case "POST /api/v1/job-fairs":
		return map[string]any{"name": "Feria", "state": "MX-NLE", "starts_on": "2027-01-01", "ends_on": "2027-01-02"}
	case "POST /api/v1/users":
		return map[string]any{"name": "Nueva", "email": "nueva@example.org", "role": "hub_staff"}
	case "PUT /api/v1/me/consent":
		return map[string]any{"share_profile": true}
	case "POST /api/v1/candidates/:id/pin-reset":
		return map[string]any{"pin": "482913"}
	}
	return map[string]any{}
}

type schemaNode struct {
	path   []any // string keys and int indexes
	schema map[string]any
}

// schemaNodes lists every field of a request schema, nested ones too (a list's first
// element stands for all).
func schemaNodes(s map[string]any, path []any, depth int) []schemaNode {
	if s == nil || depth > 5 {
		return nil
	}
	var out []schemaNode
	if len(path) > 0 {
		out = append(out, schemaNode{path, s})
	}
	switch s["type"] {
	case "object":
		props, _ := s["properties"].(map[string]any)
		for _, k := range slices.Sorted(mapKeys(props)) {
			sub, _ := props[k].(map[string]any)
			out = append(out, schemaNodes(sub, append(slices.Clone(path), k), depth+1)...)
		}
	case "array":
		items, _ := s["items"].(map[string]any)
		out = append(out, schemaNodes(items, append(slices.Clone(path), 0), depth+1)...)
	}
	return out
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// hostileValues are the values of the wrong kind or beyond every bound for a field of
// this schema.
func hostileValues(s map[string]any) []any {
	wrongType := []any{map[string]any{"x": 1}, []any{1, "x"}, true}
	maxLen, _ := s["maxLength"].(float64)
	switch s["type"] {
	case "string":
		switch s["format"] {
		case "date":
			return append(wrongType, "9999-12-31", "0001-01-01", "2026-02-30", "1899-12-31", "2101-01-01", "20260101", 20260101, "\x00")
		case "date-time":
			return append(wrongType, "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "x", rawFF)
		}
		return append(wrongType, "a\x00b", rawFF, loneSurrogate, strings.Repeat("x", int(maxLen)+1),
			strings.Repeat("ñ", 100_000), 12345, 1e308, " ", "=HYPERLINK(\"http://x\")")
	case "integer", "number":
		return append(wrongType, int64(1)<<62, -(int64(1) << 62), 1e308, -1e308, 0.5, -1, 0, "12", json.Number("1e400"))
	case "boolean":
		return append(wrongType, "true", 2, nil)
	case "array":
		item := any(map[string]any{})
		if items, _ := s["items"].(map[string]any); items["type"] == "string" {
			item = "MX-NLE"
		}
		return append(wrongType[:1], "x", repeat(item, 5000), []any{nil}, repeat(strings.Repeat("y", 300), 3))
	case "object":
		return []any{"x", []any{}, 12, map[string]any{"unknown": 1}}
	}
	return wrongType
}

func deepCopy(v map[string]any) any {
	b, _ := json.Marshal(v)
	var out any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}

// setPath sets the value at path inside root, making the objects and lists on the way.
func setPath(root any, path []any, val any) any {
	if len(path) == 0 {
		return val
	}
	switch k := path[0].(type) {
	case string:
		m, ok := root.(map[string]any)
		if !ok {
			m = map[string]any{}
		}
		m[k] = setPath(m[k], path[1:], val)
		return m
	case int:
		l, _ := root.([]any)
		for len(l) <= k {
			l = append(l, nil)
		}
		l[k] = setPath(l[k], path[1:], val)
		return l
	}
	return root
}
