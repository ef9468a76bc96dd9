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

// AuditCandidatesMerged records that staff merged one profile into another.
const AuditCandidatesMerged = "candidate.merged"

// DuplicateFlag is a suspected duplicate found when a profile was registered, kept for
// staff until they merge the two or mark them different people.
type DuplicateFlag struct {
	CandidateID string    `json:"candidate_id"`
	SuspectID   string    `json:"suspect_id"`
	Strength    string    `json:"strength"`
	Reasons     []string  `json:"reasons"`
	FoundAt     time.Time `json:"found_at"`
}

// Merge records a profile merged into another.
type Merge struct {
	MergedID string    `json:"merged_id"`
	IntoID   string    `json:"into_id"`
	MergedBy string    `json:"merged_by"`
	Note     string    `json:"note,omitempty"`
	MergedAt time.Time `json:"merged_at"`
}
