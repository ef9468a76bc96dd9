package store

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

// notFound turns gorm's not-found into a domain error naming what was looked for.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.Errorf(models.ErrNotFound, "%s not found", fmt.Sprintf(format, args...))
	}
	return translate(err)
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// escapeLike keeps user input from acting as LIKE wildcards.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
