package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/placement"
)

// A vacancy's ranked candidates with each score's breakdown, and the "refer" action.
// The page shows what the placement use case answers: who may see the list, what the
// employer sees of each person, and who may be referred are decided there.

// matchesPerPage is how many candidates a page of matches shows.
const matchesPerPage = 20

// scorePercent is a 0..1 value as a whole percentage.
func scorePercent(v float64) int { return int(math.Round(v * 100)) }

// barClass is the CSS class drawing a bar of v (0..1) in steps of 5%: the console's
// content security policy allows no inline style.
func barClass(v float64) string {
	p := int(math.Round(v*20)) * 5
	return "w" + strconv.Itoa(min(max(p, 0), 100))
}

func (s *Server) noMatches(w http.ResponseWriter, r *http.Request, p *Page) bool {
	if s.cfg.Matches == nil {
		s.fail(w, r, p, models.Errorf(models.ErrNotFound, "the console runs without the ranking service"))
		return true
	}
	return false
}

// vacancyList lists the open vacancies whose matches the reader may open.
func (s *Server) vacancyList(w http.ResponseWriter, r *http.Request, p *Page) {
	if s.noMatches(w, r, p) {
		return
	}
	q := r.URL.Query()
	state := q.Get("state")
	if !models.ValidState(state) {
		state = ""
	}
	items, more, err := s.cfg.Matches.Vacancies(r.Context(), p.User, state, q.Get("after"), 100)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	next := ""
	if more && len(items) > 0 {
		v := url.Values{"after": {items[len(items)-1].ID}}
		if state != "" {
			v.Set("state", state)
		}
		next = Prefix + "/vacancies?" + v.Encode()
	}
	s.render(w, p, "vacancies", map[string]any{"Items": items, "State": state, "States": models.States, "Next": next})
}

func (s *Server) matchesData(r *http.Request, page placement.MatchPage, cursor string) map[string]any {
	next := ""
	if page.Next != "" {
		next = Prefix + "/vacancies/" + page.Vacancy.ID + "/matches?" + url.Values{"cursor": {page.Next}}.Encode()
	}
	return map[string]any{"M": page, "Next": next, "Cursor": cursor, "First": cursor != "",
		"Referred": r.URL.Query().Get("referred")}
}

func (s *Server) vacancyMatches(w http.ResponseWriter, r *http.Request, p *Page) {
	if s.noMatches(w, r, p) {
		return
	}
	cursor := r.URL.Query().Get("cursor")
	page, err := s.cfg.Matches.For(r.Context(), p.User, r.PathValue("id"), cursor, matchesPerPage)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title = p.Tf("title.matches_of", page.Vacancy.Title)
	s.render(w, p, "matches", s.matchesData(r, page, cursor))
}

// refer asks the placement use case for a referral of a listed person, then shows
// the list again (the same page of it) with the referral's number.
func (s *Server) refer(w http.ResponseWriter, r *http.Request, p *Page) {
	if s.noMatches(w, r, p) {
		return
	}
	id := r.PathValue("id")
	cursor := r.PostFormValue("cursor")
	ref, err := s.cfg.Matches.Refer(r.Context(), p.User, id, r.PostFormValue("candidate_id"), strings.TrimSpace(r.PostFormValue("note")))
	if err != nil {
		if models.IsKind(err, models.ErrInvalid) || models.IsKind(err, models.ErrConflict) || models.IsKind(err, models.ErrNotEligible) {
			page, perr := s.cfg.Matches.For(r.Context(), p.User, id, cursor, matchesPerPage)
			if perr != nil {
				s.fail(w, r, p, perr)
				return
			}
			p.Title = p.Tf("title.matches_of", page.Vacancy.Title)
			data := s.matchesData(r, page, cursor)
			data["Error"], data["ErrorFor"], data["Note"] = errorText(err), r.PostFormValue("candidate_id"), r.PostFormValue("note")
			s.renderStatus(w, p, http.StatusUnprocessableEntity, "matches", data)
			return
		}
		s.fail(w, r, p, err)
		return
	}
	v := url.Values{"referred": {ref.ID}}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	http.Redirect(w, r, Prefix+"/vacancies/"+id+"/matches?"+v.Encode()+"#referred", http.StatusSeeOther)
}
