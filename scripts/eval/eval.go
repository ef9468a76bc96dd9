// Package eval measures Vincula's ranking against a judged set: vacancies, job seekers
// and, for each vacancy, the grade a recruiter gives each person (3 send first, 2 a good
// second choice, 1 only if nobody better, 0 not for this job). The lists to judge come
// from the API, as clients and the console see them (api's TestJudgedSet pages through
// GET /vacancies/{id}/matches); this package holds the set and the measures.
package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/vincula/vincula/models"
)

// Set is a judged set as stored in testdata/judged.json.
type Set struct {
	About      string      `json:"_about"`
	Vacancies  []Vacancy   `json:"vacancies"`
	Candidates []Candidate `json:"candidates"`
}

// Vacancy is a vacancy of the set; its start date is given in days from the evaluation's
// today, so the set never ages.
type Vacancy struct {
	ID                 string                 `json:"id"`
	Title              string                 `json:"title"`
	OccupationCode     string                 `json:"occupation_code"`
	Skills             []models.VacancySkill  `json:"skills"`
	Languages          []models.LanguageSkill `json:"languages"`
	MinExperienceYears float64                `json:"min_experience_years"`
	EducationLevel     string                 `json:"education_level"`
	State              string                 `json:"state"`
	Municipality       string                 `json:"municipality"`
	RelocationSupport  bool                   `json:"relocation_support"`
	StartInDays        int                    `json:"start_in_days"`
	HoursPerWeek       int                    `json:"hours_per_week"`
}

// Candidate is a job seeker of the set with the grades recruiters gave them, by
// vacancy ID (absent means 0).
type Candidate struct {
	ID                string                  `json:"id"`
	FullName          string                  `json:"full_name"`
	Nationality       string                  `json:"nationality"`
	Gender            string                  `json:"gender"`
	BirthDate         models.Date             `json:"birth_date"`
	CurrentState      string                  `json:"current_state"`
	Municipality      string                  `json:"municipality"`
	WillingToRelocate bool                    `json:"willing_to_relocate"`
	PreferredStates   []string                `json:"preferred_states"`
	Languages         []models.LanguageSkill  `json:"languages"`
	Skills            []models.CandidateSkill `json:"skills"`
	Experience        []models.Experience     `json:"experience"`
	EducationLevel    string                  `json:"education_level"`
	AvailableInDays   int                     `json:"available_in_days"`
	Grades            map[string]int          `json:"grades"`
}

// Load reads and checks a judged set.
func Load(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f)
}

// Read decodes a judged set, refusing unknown fields, grades outside 0 to 3 and grades
// for vacancies the set does not have.
func Read(r io.Reader) (*Set, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s Set
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("judged set: %w", err)
	}
	ids := map[string]bool{}
	for _, v := range s.Vacancies {
		if ids[v.ID] {
			return nil, fmt.Errorf("judged set: vacancy %s appears twice", v.ID)
		}
		ids[v.ID] = true
	}
	seen := map[string]bool{}
	for _, c := range s.Candidates {
		if seen[c.ID] {
			return nil, fmt.Errorf("judged set: candidate %s appears twice", c.ID)
		}
		seen[c.ID] = true
		for v, g := range c.Grades {
			if !ids[v] {
				return nil, fmt.Errorf("judged set: candidate %s is graded for %s, which is not a vacancy of the set", c.ID, v)
			}
			if g < 0 || g > 3 {
				return nil, fmt.Errorf("judged set: candidate %s has grade %d for %s (0 to 3)", c.ID, g, v)
			}
		}
	}
	return &s, nil
}

// Grades returns the grades of vacancy id, by candidate.
func (s *Set) Grades(id string) map[string]int {
	out := map[string]int{}
	for _, c := range s.Candidates {
		if g := c.Grades[id]; g > 0 {
			out[c.ID] = g
		}
	}
	return out
}

// Records turns the set into the records to store, on day today: open vacancies of
// employerID starting StartInDays later, and active, consenting candidates, each with a
// verified permanent residence card so that only the fit decides.
func (s *Set) Records(today models.Date, employerID string) ([]models.Vacancy, []models.Candidate) {
	vs := make([]models.Vacancy, len(s.Vacancies))
	for i, v := range s.Vacancies {
		vs[i] = models.Vacancy{ID: v.ID, EmployerID: employerID, Title: v.Title, Description: v.Title, OccupationCode: v.OccupationCode,
			Skills: v.Skills, Languages: nonNil(v.Languages), MinExperienceYears: v.MinExperienceYears, EducationLevel: v.EducationLevel,
			State: v.State, Municipality: v.Municipality, Positions: 5, StartDate: today.AddDays(v.StartInDays),
			RelocationSupport: v.RelocationSupport, HoursPerWeek: v.HoursPerWeek, Status: models.VacancyOpen}
	}
	given := today.Time().AddDate(0, 0, -30)
	cs := make([]models.Candidate, len(s.Candidates))
	for i, c := range s.Candidates {
		cs[i] = models.Candidate{ID: c.ID, FullName: c.FullName, Nationality: c.Nationality, Gender: c.Gender, BirthDate: c.BirthDate,
			Phone: fmt.Sprintf("+52811%07d", i+1), CurrentState: c.CurrentState, Municipality: c.Municipality,
			WillingToRelocate: c.WillingToRelocate, PreferredStates: nonNil(c.PreferredStates), Languages: c.Languages,
			Skills: c.Skills, Experience: c.Experience, EducationLevel: c.EducationLevel,
			AvailableFrom: today.AddDays(c.AvailableInDays), DesiredOccupations: []string{}, Status: models.CandidateActive,
			Consent: models.Consent{ShareProfile: true, GivenAt: &given},
			Documents: []models.Document{{Type: models.DocResidentePermanente, Number: "RP-" + c.ID, IssuedOn: today.AddDays(-400),
				Verified: true, VerifiedBy: "eval", VerifiedAt: &given}}}
	}
	return vs, cs
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Result is how one ranked list fares against its grades.
type Result struct {
	Vacancy string
	// NDCG10 is the normalised discounted cumulative gain of the first ten (gain 2^g-1).
	NDCG10 float64
	// Precision5 is the share of the first five that are relevant (grade 1 or more).
	Precision5 float64
	// Recall is the share of the relevant people that are in the list at all.
	Recall float64
	// Noise is the share of the list that is not relevant (grade 0).
	Noise float64
	// Listed and Relevant count the list and the relevant people.
	Listed, Relevant int
	// Missing are the relevant people not listed, best first; Noisy the listed people
	// who are not relevant, in list order.
	Missing, Noisy []string
}

// Judge measures list (candidate IDs, best first) against grades.
func Judge(vacancy string, list []string, grades map[string]int) Result {
	r := Result{Vacancy: vacancy, Listed: len(list), Relevant: len(grades)}
	dcg := 0.0
	for i, id := range list {
		if i < 10 {
			dcg += gain(grades[id]) / math.Log2(float64(i+2))
		}
		if i < 5 && grades[id] > 0 {
			r.Precision5++
		}
		if grades[id] == 0 {
			r.Noisy = append(r.Noisy, id)
		}
	}
	ideal := make([]int, 0, len(grades))
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	idcg := 0.0
	for i, g := range ideal {
		if i == 10 {
			break
		}
		idcg += gain(g) / math.Log2(float64(i+2))
	}
	if idcg > 0 {
		r.NDCG10 = dcg / idcg
	}
	r.Precision5 /= float64(min(5, max(1, len(list))))
	found := 0
	for id := range grades {
		if slices.Contains(list, id) {
			found++
		} else {
			r.Missing = append(r.Missing, id)
		}
	}
	sort.Slice(r.Missing, func(a, b int) bool {
		ga, gb := grades[r.Missing[a]], grades[r.Missing[b]]
		return ga > gb || ga == gb && r.Missing[a] < r.Missing[b]
	})
	if len(grades) > 0 {
		r.Recall = float64(found) / float64(len(grades))
	}
	if len(list) > 0 {
		r.Noise = float64(len(r.Noisy)) / float64(len(list))
	}
	return r
}

func gain(g int) float64 { return math.Exp2(float64(g)) - 1 }

// Summary averages results over vacancies (each vacancy weighs the same).
type Summary struct {
	NDCG10, Precision5, Recall, Noise float64
}

// Summarize averages rs.
func Summarize(rs []Result) Summary {
	var s Summary
	for _, r := range rs {
		s.NDCG10 += r.NDCG10
		s.Precision5 += r.Precision5
		s.Recall += r.Recall
		s.Noise += r.Noise
	}
	if n := float64(len(rs)); n > 0 {
		s.NDCG10, s.Precision5, s.Recall, s.Noise = s.NDCG10/n, s.Precision5/n, s.Recall/n, s.Noise/n
	}
	return s
}

// Table writes the results as a Markdown table with the averages last.
func Table(w io.Writer, rs []Result) {
	fmt.Fprintln(w, "| vacancy | nDCG@10 | P@5 | recall | noise | listed | relevant |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %.3f | %.2f | %.2f | %.2f | %d | %d |\n", r.Vacancy, r.NDCG10, r.Precision5, r.Recall, r.Noise, r.Listed, r.Relevant)
	}
	s := Summarize(rs)
	fmt.Fprintf(w, "| **mean** | **%.3f** | **%.2f** | **%.2f** | **%.2f** | | |\n", s.NDCG10, s.Precision5, s.Recall, s.Noise)
}

// Explain lists, per vacancy, the relevant people left out and the noise listed.
func Explain(w io.Writer, rs []Result, grades func(string) map[string]int) {
	for _, r := range rs {
		if len(r.Missing) == 0 && len(r.Noisy) == 0 {
			continue
		}
		g := grades(r.Vacancy)
		var miss []string
		for _, id := range r.Missing {
			miss = append(miss, fmt.Sprintf("%s(%d)", id, g[id]))
		}
		fmt.Fprintf(w, "%s: missing %s; noise %s\n", r.Vacancy, strings.Join(miss, " "), strings.Join(r.Noisy, " "))
	}
}
