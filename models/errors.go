// Package models holds Vincula's domain types, enums, validation and domain errors.
// It imports nothing of the project so that every other package can depend on it.
package models

import (
	"errors"
	"fmt"
	"strings"
)

// The kinds of domain error. Callers wrap them with fmt.Errorf("...: %w", err) or build an
// *Error; the api package maps each kind to one HTTP status.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrInvalid      = errors.New("invalid input")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("unauthorized")
	// ErrNotEligible is returned when an action needs a candidate who may legally work
	// at a place and date and the eligibility engine says they may not.
	ErrNotEligible = errors.New("not eligible")
)

// FieldError names one input field and what is wrong with it, in words a user understands.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Rule and Value, when Rule is set, are the validation rule that failed (one of the
	// tags RegisterValidations adds, such as "mxstate") and the value at fault, so that
	// the message can be said again in another language. They are not sent.
	Rule  string `json:"-"`
	Value string `json:"-"`
}

// Error is a domain error with a message meant for the user and, for validation
// failures, the fields at fault. Kind is one of the Err* sentinels above.
type Error struct {
	Kind    error
	Message string
	Fields  []FieldError
	// Details carries extra machine-readable facts (for example the allowed transitions
	// of a refused referral transition, or the reasons of an eligibility refusal).
	Details map[string]any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field + " " + f.Message)
	}
	return b.String()
}

// Unwrap lets errors.Is match the error's kind.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an *Error of the given kind with a formatted user-facing message.
func Errorf(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// FieldErrors collects validation failures; its Err method returns nil when none were
// added, so validators can report every problem at once.
type FieldErrors []FieldError

// Add records that field is wrong, with a message in plain words.
func (fe *FieldErrors) Add(field, format string, args ...any) {
	*fe = append(*fe, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns a validation *Error listing every field, or nil when there is none.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Kind: ErrInvalid, Message: "validation failed", Fields: fe}
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsKind reports whether err is of the given kind (one of the Err* sentinels).
func IsKind(err, kind error) bool { return errors.Is(err, kind) }
