package models

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// Bound is the upper bound (and, for numbers, the declared lower bound) of what a
// client may send in a field: the API checks every request body against these before
// anything reaches a database, the importer checks every row, and the OpenAPI document
// declares them, so the limits are the same on SQLite and PostgreSQL and in the
// documentation. A zero field means "the default for its kind".
type Bound struct {
	// MaxLength is the most characters a string may hold.
	MaxLength int
	// MaxItems is the most elements a list may hold.
	MaxItems int
	// Min and Max bound a number. Max is checked here; Min is declared for the OpenAPI
	// document and checked by the Validate methods, which explain it in the field's terms
	// ("must be at least 1"), so that a record is not blamed twice for one value.
	Min, Max *float64
}

// The defaults: every string, list and number a client sends is bounded, whether or not
// its field is named in fieldBounds.
const (
	DefaultMaxLength = 200
	DefaultMaxItems  = 50
	// DefaultMaxNumber bounds a number whose field names no bound of its own.
	DefaultMaxNumber = 1_000_000
)

// EarliestDate and LatestDate bound every date and timestamp a client sends.
var (
	EarliestDate = NewDate(1900, 1, 1)
	LatestDate   = NewDate(2100, 12, 31)
)

func num(v float64) *float64 { return &v }

// fieldBounds names the fields, by their JSON name wherever they appear, whose bounds
// differ from the defaults.
var fieldBounds = map[string]Bound{
	"description":          {MaxLength: 5000},
	"note":                 {MaxLength: 2000},
	"email":                {MaxLength: 254},
	"contact_email":        {MaxLength: 254},
	"number":               {MaxLength: 64},
	"skills":               {MaxItems: 100},
	"languages":            {MaxItems: 20},
	"documents":            {MaxItems: 20},
	"experience":           {MaxItems: 50},
	"preferred_states":     {MaxItems: 32},
	"coverage_states":      {MaxItems: 32},
	"desired_occupations":  {MaxItems: 20},
	"positions":            {Min: num(1), Max: num(10_000)},
	"positions_filled":     {Min: num(0), Max: num(10_000)},
	"salary_min":           {Min: num(0), Max: num(10_000_000)},
	"salary_max":           {Min: num(0), Max: num(10_000_000)},
	"min_experience_years": {Min: num(0), Max: num(80)},
	"years":                {Min: num(0), Max: num(80)},
	"capacity":             {Min: num(1), Max: num(1_000)},
	"hours_per_week":       {Min: num(0), Max: num(MaxHoursPerWeek)},
}

// BoundOf returns the bound of the field with this JSON name, defaults filled in.
func BoundOf(name string) Bound {
	b := fieldBounds[name]
	if b.MaxLength == 0 {
		b.MaxLength = DefaultMaxLength
	}
	if b.MaxItems == 0 {
		b.MaxItems = DefaultMaxItems
	}
	if b.Max == nil {
		b.Max = num(DefaultMaxNumber)
	}
	return b
}

// CleanText reports whether s may be stored: UTF-8 without NUL characters (PostgreSQL
// refuses NUL, SQLite would keep it, and invalid UTF-8 would be rewritten silently).
func CleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// UncleanTextMessage is what a field that fails CleanText is told.
const UncleanTextMessage = "must be UTF-8 text without NUL characters"

var (
	boundDateType = reflect.TypeOf(Date{})
	boundTimeType = reflect.TypeOf(time.Time{})
)

// CheckBounds walks v (a struct or a pointer to one, as decoded from a request or read
// from an import row) and reports every string, list, number or date beyond its bound
// and every string that is not clean text, each named by its JSON path
// ("documents[0].number"). Zero dates and timestamps mean "not given" and pass.
func CheckBounds(v any) FieldErrors {
	var fe FieldErrors
	checkBounds(&fe, reflect.ValueOf(v), "", "")
	return fe
}

func checkBounds(fe *FieldErrors, v reflect.Value, path, name string) {
	if !v.IsValid() {
		return
	}
	b := BoundOf(name)
	switch {
	case v.Type() == boundDateType:
		if d := v.Interface().(Date); !d.IsZero() && (d.Before(EarliestDate) || d.After(LatestDate)) {
			fe.Add(path, "%s is outside %s..%s", d, EarliestDate, LatestDate)
		}
		return
	case v.Type() == boundTimeType:
		if t := v.Interface().(time.Time); !t.IsZero() {
			if d := DateOf(t.UTC()); d.Before(EarliestDate) || d.After(LatestDate) {
				fe.Add(path, "%s is outside %s..%s", t.UTC().Format(time.RFC3339), EarliestDate, LatestDate)
			}
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkBounds(fe, v.Elem(), path, name)
		}
	case reflect.String:
		s := v.String()
		switch {
		case !CleanText(s):
			fe.Add(path, UncleanTextMessage)
		case utf8.RuneCountInString(s) > b.MaxLength:
			fe.Add(path, "is %d characters long; it may be at most %d", utf8.RuneCountInString(s), b.MaxLength)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n := v.Int(); float64(n) > *b.Max {
			fe.Add(path, "must be at most %s", formatBound(*b.Max))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n := v.Uint(); float64(n) > *b.Max {
			fe.Add(path, "must be at most %s", formatBound(*b.Max))
		}
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); f != f || f > *b.Max {
			fe.Add(path, "must be at most %s", formatBound(*b.Max))
		}
	case reflect.Slice, reflect.Array:
		if v.Len() > b.MaxItems {
			fe.Add(path, "has %d items; it may have at most %d", v.Len(), b.MaxItems)
			return
		}
		for i := 0; i < v.Len(); i++ {
			checkBounds(fe, v.Index(i), fmt.Sprintf("%s[%d]", path, i), name)
		}
	case reflect.Map:
		if v.Len() > b.MaxItems {
			fe.Add(path, "has %d entries; it may have at most %d", v.Len(), b.MaxItems)
			return
		}
		it := v.MapRange()
		for it.Next() {
			key := fmt.Sprint(it.Key().Interface())
			if !CleanText(key) {
				fe.Add(path, UncleanTextMessage)
				continue
			}
			checkBounds(fe, it.Value(), join(path, key), key)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			json, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if json == "-" {
				continue
			}
			if f.Anonymous && json == "" && f.Type.Kind() == reflect.Struct {
				checkBounds(fe, v.Field(i), path, name)
				continue
			}
			if json == "" {
				json = f.Name
			}
			checkBounds(fe, v.Field(i), join(path, json), json)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func formatBound(f float64) string { return fmt.Sprintf("%.0f", f) }
