package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// jsonReader streams a JSON array of objects, one object per row. The header is every
// key seen in any object, in order of first appearance, which takes one extra pass over
// the file: a key missing from the first object (an optional column left out) must
// still be a column.
type jsonReader struct {
	dec    *json.Decoder
	header []string
	index  map[string]int
	row    int
	closer io.Closer
}

func newJSONReader(rs io.ReadSeeker) (*jsonReader, error) {
	r := &jsonReader{index: map[string]int{}}
	// First pass: collect the keys.
	if err := r.start(rs); err != nil {
		return nil, err
	}
	for r.dec.More() {
		r.row++
		if err := r.object(func(key string, _ json.RawMessage) error {
			if _, ok := r.index[key]; !ok {
				r.index[key] = len(r.header)
				r.header = append(r.header, key)
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if len(r.header) == 0 {
		return nil, fileError("the JSON file holds no objects with fields: it must be an array of objects, one per vacancy")
	}
	// Second pass: read rows.
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	r.row = 0
	if err := r.start(rs); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *jsonReader) start(rd io.Reader) error {
	br := bufio.NewReaderSize(rd, 64<<10)
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	r.dec = json.NewDecoder(br)
	r.dec.UseNumber()
	tok, err := r.dec.Token()
	if err != nil {
		return fileError("the file is not valid JSON (%v): it must be an array of objects, one per vacancy", jsonProblem(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fileError("the JSON file must be an array of objects, one per vacancy, and it does not start with [")
	}
	return nil
}

// object reads one object of the array, calling fn with each key and value.
func (r *jsonReader) object(fn func(key string, value json.RawMessage) error) error {
	tok, err := r.dec.Token()
	if err != nil {
		return readerError(r.row, "the JSON cannot be read (%v)", jsonProblem(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return readerError(r.row, "item %d of the array is not an object; each vacancy must be an object such as {\"title\": \"...\"}", r.row)
	}
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return readerError(r.row, "the JSON cannot be read (%v)", jsonProblem(err))
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := r.dec.Decode(&raw); err != nil {
			return readerError(r.row, "the JSON cannot be read (%v)", jsonProblem(err))
		}
		if err := fn(key, raw); err != nil {
			return err
		}
	}
	if _, err := r.dec.Token(); err != nil {
		return readerError(r.row, "the JSON cannot be read (%v)", jsonProblem(err))
	}
	return nil
}

// Header returns every key of the file's objects.
func (r *jsonReader) Header() []string { return r.header }

// Next returns the next object as cells in header order.
func (r *jsonReader) Next() (int, []string, error) {
	if !r.dec.More() {
		if _, err := r.dec.Token(); err != nil {
			return 0, nil, readerError(r.row, "the JSON cannot be read after this item (%v)", jsonProblem(err))
		}
		return 0, nil, io.EOF
	}
	r.row++
	cells := make([]string, len(r.header))
	err := r.object(func(key string, value json.RawMessage) error {
		i, ok := r.index[key]
		if !ok {
			return readerError(r.row, "the field %q was not in the file a moment ago; was the file changed during the import?", key)
		}
		cells[i] = jsonCell(value)
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return r.row, cells, nil
}

// Close closes the underlying file, if the reader owns one.
func (r *jsonReader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// jsonCell turns a JSON value into the text a spreadsheet cell would hold. Arrays are
// accepted for list columns and written the way a sheet lists them: ["soldadura",
// "torno"] becomes "soldadura; torno", API-shaped skills {"name": "torno", "required":
// true} become "torno*" and languages {"code": "en", "level": "B1"} become "en:B1".
// Anything else nested is kept as JSON text, for the column's parser to reject.
func jsonCell(raw json.RawMessage) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return string(raw)
	}
	switch v := v.(type) {
	case []any:
		parts := make([]string, 0, len(v))
		for _, item := range v {
			s, ok := listItem(item)
			if !ok {
				return string(raw)
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		return string(raw)
	}
	s, _ := listItem(v)
	return s
}

func listItem(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	case map[string]any:
		if name, ok := v["name"].(string); ok {
			if req, _ := v["required"].(bool); req {
				return name + "*", true
			}
			return name, true
		}
		if code, ok := v["code"].(string); ok {
			level, _ := v["level"].(string)
			return code + ":" + level, true
		}
	}
	return "", false
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v, at byte %d", se, se.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "it ends too early"
	}
	return err.Error()
}
