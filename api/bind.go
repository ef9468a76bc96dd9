package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
)

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (s *Server) respond(c *gin.Context, status int, v any) {
	if l, ok := v.(cursorTagger); ok {
		v = l.withCursorTag(c.FullPath())
	}
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(status)
	if err := jsonEncode(c.Writer, v); err != nil {
		s.log.Warn("write response", "err", err)
	}
}

// readBody reads the whole request body within the size limit. It reports false after
// answering 413 or 400 itself.
func (s *Server) readBody(c *gin.Context) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(c, http.StatusRequestEntityTooLarge, "too-large", "Request body too large",
				fmt.Sprintf("the request body may be at most %d bytes", s.cfg.MaxBodyBytes))
			return nil, false
		}
		s.fail(c, http.StatusBadRequest, "malformed", "Malformed request", "the request body could not be read")
		return nil, false
	}
	return body, true
}

// bind decodes a JSON body into dst strictly: malformed JSON is a 400, an unknown field
// or a value of the wrong type a 422 naming the field. With patch true only the fields
// present in the body change dst (lists present in the body replace the old ones).
func (s *Server) bind(c *gin.Context, dst any, patch bool) bool {
	body, ok := s.readBody(c)
	if !ok {
		return false
	}
	if err := decodeStrict(body, dst, patch); err != nil {
		var syntax *json.SyntaxError
		var fieldErr *models.Error
		switch {
		case errors.As(err, &fieldErr):
			s.writeError(c, fieldErr)
		case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, errNotObject):
			s.fail(c, http.StatusBadRequest, "malformed", "Malformed JSON", err.Error())
		default:
			s.writeError(c, invalid("", "%s", err.Error()))
		}
		return false
	}
	return true
}

var errNotObject = errors.New("the request body must be a JSON object")

func decodeStrict(body []byte, dst any, patch bool) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		if len(trimmed) > 0 && !json.Valid(trimmed) {
			return &json.SyntaxError{Offset: 0}
		}
		return errNotObject
	}
	if !json.Valid(trimmed) {
		// Report syntax errors before anything else, so a broken body is always a 400.
		var v any
		return json.Unmarshal(trimmed, &v)
	}
	if patch {
		var present map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &present); err != nil {
			return err
		}
		clearPresentLists(dst, present)
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return invalid(typeErr.Field, "must be %s", jsonKind(typeErr.Type))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return invalid(name, "is not a known field")
		}
		return err
	}
	return checkBody(trimmed, dst)
}

// clearPresentLists empties the slice and pointer fields that a patch body sets, so
// that decoding replaces them instead of merging element by element.
func clearPresentLists(dst any, present map[string]json.RawMessage) {
	v := reflect.ValueOf(dst).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if _, ok := present[name]; !ok {
			continue
		}
		switch f := v.Field(i); f.Kind() {
		case reflect.Slice, reflect.Pointer, reflect.Map:
			f.SetZero()
		}
	}
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of type " + t.String()
}

// pageOf reads ?limit= (default 20, at most 100) and ?cursor= (opaque: the last ID of
// the previous page, encoded).
func pageOf(c *gin.Context) (limit int, after string, err error) {
	if limit, err = limitOf(c); err != nil {
		return 0, "", err
	}
	if raw := c.Query("cursor"); raw != "" {
		b, decErr := base64.RawURLEncoding.DecodeString(raw)
		if decErr != nil || len(b) == 0 {
			return 0, "", invalid("cursor", "is not a cursor this server gave out")
		}
		after = string(b)
	}
	return limit, after, nil
}

// limitOf reads ?limit= (default 20, at most 100).
func limitOf(c *gin.Context) (int, error) {
	raw := c.Query("limit")
	if raw == "" {
		return 20, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 100 {
		return 0, invalid("limit", "must be a whole number from 1 to 100")
	}
	return n, nil
}

// respondList answers a page of a store listing: the error, or the items with the
// cursor of the next page when there is one. Every listed domain type has a string
// field ID, which is what cursors point at.
func respondList[T any](s *Server, c *gin.Context, items []T, more bool, err error) {
	if err != nil {
		s.writeError(c, err)
		return
	}
	last := ""
	if len(items) > 0 {
		last = reflect.ValueOf(items[len(items)-1]).FieldByName("ID").String()
	}
	s.respond(c, http.StatusOK, newList(items, more, last))
}

// listResponse is the envelope of every list.
type listResponse[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
	// Total is the number of records of the whole list, on the ranked lists (matches
	// and the candidate search); the other lists leave it out.
	Total *int `json:"total,omitempty"`
}

func newList[T any](items []T, more bool, lastID string) listResponse[T] {
	if items == nil {
		items = []T{}
	}
	out := listResponse[T]{Items: items}
	if more {
		cur := base64.RawURLEncoding.EncodeToString([]byte(lastID))
		out.NextCursor = &cur
	}
	return out
}

// The bounds of a free-text query (?q=): one request of 64 KB of common words used to
// cost the index 22 s of CPU.
const (
	maxQueryBytes = 256
	maxQueryTerms = 16
)

// queryTextOf reads ?q=, recording in fe when it is longer than maxQueryBytes, has more
// than maxQueryTerms words, or is not clean UTF-8 text.
func queryTextOf(c *gin.Context, fe *models.FieldErrors) string {
	q := c.Query("q")
	switch {
	case len(q) > maxQueryBytes:
		fe.Add("q", "is %d bytes long; a search takes at most %d", len(q), maxQueryBytes)
	case !utf8.ValidString(q) || strings.ContainsRune(q, 0):
		fe.Add("q", "must be UTF-8 text without NUL characters")
	case len(strings.Fields(q)) > maxQueryTerms:
		fe.Add("q", "has %d words; a search takes at most %d", len(strings.Fields(q)), maxQueryTerms)
	}
	return q
}
