package api

import (
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/placement"
)

// candidateView is what staff (hub staff, counsellors, admins) see: the whole profile
// and a short eligibility summary for today.
type candidateView struct {
	models.Candidate
	Eligibility matching.Summary `json:"eligibility"`
}

func (s *Server) staffView(c models.Candidate) candidateView {
	return candidateView{Candidate: c, Eligibility: matching.Summarize(&c, s.today(), s.rules)}
}

// employerCandidateView is the minimised view of DESIGN.md ("Privacy"): no document
// numbers or types, nationality, gender, birth date, CURP or contact details. The name
// is shortened to the first given name and an initial; contact details reach the
// employer only through a referral that reaches `interviewing`.
type employerCandidateView struct {
	ID                 string                  `json:"id"`
	DisplayName        string                  `json:"display_name"`
	CurrentState       string                  `json:"current_state"`
	Municipality       string                  `json:"municipality,omitempty"`
	WillingToRelocate  bool                    `json:"willing_to_relocate"`
	PreferredStates    []string                `json:"preferred_states"`
	Languages          []models.LanguageSkill  `json:"languages"`
	Skills             []models.CandidateSkill `json:"skills"`
	Experience         []experienceView        `json:"experience"`
	EducationLevel     string                  `json:"education_level"`
	AvailableFrom      models.Date             `json:"available_from"`
	DesiredOccupations []string                `json:"desired_occupations"`
}

// experienceView leaves out the country of past work, which can betray nationality.
type experienceView struct {
	Title          string  `json:"title"`
	OccupationCode string  `json:"occupation_code,omitempty"`
	Years          float64 `json:"years"`
}

func employerView(c models.Candidate) employerCandidateView {
	v := employerCandidateView{ID: c.ID, DisplayName: placement.DisplayName(c.FullName), CurrentState: c.CurrentState,
		Municipality: c.Municipality, WillingToRelocate: c.WillingToRelocate, PreferredStates: c.PreferredStates,
		Languages: c.Languages, Skills: c.Skills, EducationLevel: c.EducationLevel, AvailableFrom: c.AvailableFrom,
		DesiredOccupations: c.DesiredOccupations, Experience: []experienceView{}}
	for _, e := range c.Experience {
		v.Experience = append(v.Experience, experienceView{Title: e.Title, OccupationCode: e.OccupationCode, Years: e.Years})
	}
	return v
}
