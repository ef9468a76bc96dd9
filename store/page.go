package store

import "gorm.io/gorm"

// Page asks for up to Limit records whose ID sorts after After. IDs are time-ordered,
// so pages follow creation order and stay stable while records are added.
type Page struct {
	After string
	Limit int
}

// paginate applies the page to q and asks for one extra row, which tells whether
// another page follows.
func (p Page) apply(q *gorm.DB) *gorm.DB {
	if p.After != "" {
		q = q.Where("id > ?", p.After)
	}
	limit := p.Limit
	if limit <= 0 {
		limit = 20
	}
	return q.Order("id").Limit(limit + 1)
}

// trim cuts the extra row off and says whether there was one.
func trim[T any](rows []T, p Page) ([]T, bool) {
	limit := p.Limit
	if limit <= 0 {
		limit = 20
	}
	if len(rows) > limit {
		return rows[:limit], true
	}
	return rows, false
}
