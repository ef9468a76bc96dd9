package models

import "time"

// AuditMarkedDistinct records that staff found two suspected duplicates to be different
// people.
const AuditMarkedDistinct = "candidate.marked_distinct"

// DistinctPair is two profiles staff found to be different people.
type DistinctPair struct {
	CandidateA string    `json:"candidate_a"`
	CandidateB string    `json:"candidate_b"`
	MarkedBy   string    `json:"marked_by"`
	Note       string    `json:"note,omitempty"`
	MarkedAt   time.Time `json:"marked_at"`
}
