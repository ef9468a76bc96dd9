package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
)

// What a hostile client may send is checked here, once for every route: the text of
// JSON bodies (uncleanJSONText, called by decodeStrict), path and query parameters and
// list cursors (checkParams, called by guard), and the bounds of every decoded body
// (models.CheckBounds, also called by decodeStrict).

// maxParamBytes bounds a path or query parameter (free-text q has its own, smaller
// bound: maxQueryBytes).
const maxParamBytes = 1024

// checkParams refuses, with a 422 naming the parameter, a path or query parameter that
// is not clean text (NUL, invalid UTF-8) or longer than maxParamBytes, and a cursor
// that another list gave out. A cursor of this list is replaced in the request by its
// untagged form, which the handlers read. It reports false after answering.
func (s *Server) checkParams(c *gin.Context) bool {
	var fe models.FieldErrors
	for _, p := range c.Params {
		switch {
		case !models.CleanText(p.Value):
			fe.Add(p.Key, models.UncleanTextMessage)
		case len(p.Value) > maxParamBytes:
			fe.Add(p.Key, "is %d bytes long; it may be at most %d", len(p.Value), maxParamBytes)
		}
	}
	// Read from the URL, not c.Query: gin caches the query on first use, and the cursor
	// is rewritten below.
	query := c.Request.URL.Query()
	for _, key := range slices.Sorted(maps.Keys(query)) {
		if !models.CleanText(key) {
			fe.Add("query", "parameter names "+models.UncleanTextMessage)
			continue
		}
		for _, v := range query[key] {
			if problem := queryParamProblem(key, v); problem != "" {
				fe.Add(key, "%s", problem)
				break
			}
		}
	}
	if err := fe.Err(); err != nil {
		s.answerRefusal(c, err)
		return false
	}
	if raw := query.Get("cursor"); raw != "" {
		inner, ok := untagCursor(c.FullPath(), raw)
		if !ok {
			s.answerRefusal(c, invalid("cursor", fieldCursor))
			return false
		}
		query.Set("cursor", inner)
		c.Request.URL.RawQuery = query.Encode()
	}
	return true
}

// queryParamProblem says what is wrong with one value of a query parameter, or "":
// text that is not clean or too long, a date outside the bounds of every date, a
// number beyond its field's bound (models.BoundOf), or more list entries than a
// search takes. Values that do not parse are left to the handler, which explains its
// own format.
func queryParamProblem(key, v string) string {
	switch {
	case !models.CleanText(v):
		return models.UncleanTextMessage
	case len(v) > maxParamBytes:
		return fmt.Sprintf("is %d bytes long; it may be at most %d", len(v), maxParamBytes)
	}
	switch key {
	case "date":
		if d, err := models.ParseDate(v); err == nil && (d.Before(models.EarliestDate) || d.After(models.LatestDate)) {
			return fmt.Sprintf("%s is outside %s..%s", d, models.EarliestDate, models.LatestDate)
		}
	case "min_experience_years":
		if f, err := strconv.ParseFloat(v, 64); err == nil && (f != f || f > *models.BoundOf(key).Max) {
			return fmt.Sprintf("must be at most %.0f", *models.BoundOf(key).Max)
		}
	case "skills", "languages":
		if n := len(splitList(v)); n > maxQueryTerms {
			return fmt.Sprintf("lists %d entries; a search takes at most %d", n, maxQueryTerms)
		}
	}
	return ""
}

// answerRefusal answers a refused parameter in the migrant's language on the /me
// routes and in English elsewhere.
func (s *Server) answerRefusal(c *gin.Context, err error) {
	if isMePath(c.Request.URL.Path) {
		s.migrantError(c, err)
		return
	}
	s.writeError(c, err)
}

// Cursors are tagged with the list that gave them out: the tag is a short digest of
// the route ("/api/v1/vacancies/:id/matches"), so a cursor of one list sent to another
// is refused instead of being read as a position in the wrong list. The handlers see
// and make untagged cursors; respond tags next_cursor on the way out (listResponse's
// withCursorTag) and checkParams untags cursor on the way in.
const cursorTagBytes = 3

func cursorTag(route string) []byte {
	sum := sha256.Sum256([]byte("vincula-cursor:" + route))
	return sum[:cursorTagBytes]
}

// tagCursor turns an untagged cursor (base64 of its position) into the tagged one a
// client gets.
func tagCursor(route, inner string) string {
	b, err := base64.RawURLEncoding.DecodeString(inner)
	if err != nil {
		// Handlers only make base64 cursors; anything else is passed as it is, and
		// untagCursor will refuse it.
		return inner
	}
	return base64.RawURLEncoding.EncodeToString(append(cursorTag(route), b...))
}

// untagCursor checks that raw was given out by route and returns its untagged form.
func untagCursor(route, raw string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(b) <= cursorTagBytes || !bytes.Equal(b[:cursorTagBytes], cursorTag(route)) ||
		!models.CleanText(string(b[cursorTagBytes:])) {
		return "", false
	}
	return base64.RawURLEncoding.EncodeToString(b[cursorTagBytes:]), true
}

// cursorTagger is a response whose next cursor respond tags with the route.
type cursorTagger interface{ withCursorTag(route string) any }

func (l listResponse[T]) withCursorTag(route string) any {
	if l.NextCursor != nil {
		cur := tagCursor(route, *l.NextCursor)
		l.NextCursor = &cur
	}
	return l
}

// uncleanJSONText finds the first string of a JSON document, key or value, that holds
// a NUL character or is not valid UTF-8 (raw bytes or a lone surrogate escape such as
// \ud800, both of which encoding/json silently turns into U+FFFD), and returns its path
// ("documents[0].number"). body must be valid JSON.
func uncleanJSONText(body []byte) (string, bool) {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\u`)) {
		return "", false // nothing to find: the common case costs one pass
	}
	type frame struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for i, f := range stack {
			switch {
			case f.object && i > 0:
				b.WriteString("." + f.key)
			case f.object:
				b.WriteString(f.key)
			default:
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			}
		}
		return b.String()
	}
	beginValue := func() {
		if n := len(stack); n > 0 && !stack[n-1].object {
			stack[n-1].index++
		}
	}
	endValue := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", false // io.EOF, or a syntax error reported elsewhere
		}
		end := dec.InputOffset()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				beginValue()
				stack = append(stack, frame{object: t == '{', wantKey: t == '{', index: -1})
			default:
				stack = stack[:len(stack)-1]
				endValue()
			}
			continue
		case string:
			raw := body[start:end]
			if q := bytes.IndexByte(raw, '"'); q >= 0 {
				raw = raw[q:]
			}
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				stack[n-1].key, stack[n-1].wantKey = t, false
				if badLiteral(raw) {
					return path(), true
				}
				continue
			}
			beginValue()
			if badLiteral(raw) {
				return path(), true
			}
			endValue()
		default:
			beginValue()
			endValue()
		}
	}
}

// badLiteral reports whether a JSON string literal (with its quotes) holds a NUL, an
// invalid UTF-8 byte or a lone surrogate.
func badLiteral(lit []byte) bool {
	if len(lit) >= 2 {
		lit = lit[1 : len(lit)-1]
	}
	for i := 0; i < len(lit); {
		if lit[i] != '\\' {
			r, size := utf8.DecodeRune(lit[i:])
			if r == utf8.RuneError && size <= 1 {
				return true
			}
			i += size
			continue
		}
		if i+1 >= len(lit) {
			return true
		}
		if lit[i+1] != 'u' {
			i += 2
			continue
		}
		r, ok := hex4(lit[i+2:])
		if !ok {
			return true
		}
		i += 6
		switch {
		case r == 0:
			return true
		case r >= 0xD800 && r < 0xDC00:
			if i+6 > len(lit) || lit[i] != '\\' || lit[i+1] != 'u' {
				return true
			}
			lo, ok := hex4(lit[i+2:])
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 6
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		}
	}
	return false
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 32)
	return rune(n), err == nil
}

// checkBody refuses a decoded body whose text is not clean or whose values are beyond
// their bounds (models.CheckBounds), naming every such field.
func checkBody(body []byte, dst any) error {
	if field, bad := uncleanJSONText(body); bad {
		return invalid(field, models.UncleanTextMessage)
	}
	return models.CheckBounds(dst).Err()
}

// metricMethods is the closed set of method labels on /metrics; any other method is
// counted as "other", so random method names cannot grow the metrics without bound.
var metricMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
	"DELETE": true, "OPTIONS": true}

func methodLabel(m string) string {
	if metricMethods[m] {
		return m
	}
	return "other"
}

// statusLabel keeps the status label to the codes HTTP defines (100..599).
func statusLabel(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code)
}

// maxUploadNameLength bounds the file name an upload gives, which its import job keeps.
const maxUploadNameLength = 255

// uploadNameProblem says what is wrong with an uploaded file's name, or "".
func uploadNameProblem(name string) string {
	switch {
	case !models.CleanText(name):
		return "its name " + models.UncleanTextMessage
	case utf8.RuneCountInString(name) > maxUploadNameLength:
		return fmt.Sprintf("its name is %d characters long; it may be at most %d", utf8.RuneCountInString(name), maxUploadNameLength)
	}
	return ""
}

// The refusal of unclean text is a sentence of its own, so migrants get it in their
// language; the bounds' messages quote numbers and stay in English, like the other
// messages that quote values (fieldMessages).
func init() {
	fieldMessages[models.UncleanTextMessage] = map[lang]string{
		langES: "debe ser texto UTF-8 sin caracteres NUL",
		langFR: "doit être du texte UTF-8 sans caractère NUL",
		langHT: "dwe tèks UTF-8 san karaktè NUL",
	}
}
