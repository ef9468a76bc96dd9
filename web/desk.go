package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/profiles"
)

// The hub staff's desk: register a person, edit their profile. The handlers parse the
// form into a profiles.Desk and show what the profiles use case answers; every rule
// (who may write, which documents count as verified, what a valid profile is) is
// there.

// deskForm is the desk's form as the template draws it: the typed values in rows of
// numbered fields, and each field's problem.
type deskForm struct {
	D         profiles.Desk
	Action    string
	Edit      bool
	Languages []langRow
	Skills    []skillRow
	Occs      []textRow
	Docs      []docRow
	Preferred map[string]bool
	Errors    map[string]string
}

type langRow struct {
	I           int
	Code, Level string
}

type skillRow struct {
	I           int
	Name, Years string
}

type textRow struct {
	I    int
	Name string
}

type docRow struct {
	I int
	profiles.DeskDocument
}

// Enough empty rows to type a person's languages, trades and documents without a
// script; a row left empty is not sent to the use case.
const (
	spareLanguages = 1
	spareSkills    = 2
	spareOccs      = 1
	spareDocs      = 1
	// maxRows bounds the numbered rows a posted form is read for, past any profile's.
	maxRows = 200
)

func newDeskForm(d profiles.Desk, action string, edit bool, errs map[string]string) deskForm {
	f := deskForm{D: d, Action: action, Edit: edit, Preferred: map[string]bool{}, Errors: errs}
	for _, s := range d.PreferredStates {
		f.Preferred[s] = true
	}
	for i := 0; i < max(len(d.Languages)+spareLanguages, 2); i++ {
		r := langRow{I: i}
		if i < len(d.Languages) {
			r.Code, r.Level = d.Languages[i].Code, d.Languages[i].Level
		}
		f.Languages = append(f.Languages, r)
	}
	for i := 0; i < max(len(d.Skills)+spareSkills, 3); i++ {
		r := skillRow{I: i}
		if i < len(d.Skills) {
			r.Name, r.Years = d.Skills[i].Name, d.Skills[i].Years
		}
		f.Skills = append(f.Skills, r)
	}
	for i := 0; i < max(len(d.DesiredOccupations)+spareOccs, 2); i++ {
		r := textRow{I: i}
		if i < len(d.DesiredOccupations) {
			r.Name = d.DesiredOccupations[i]
		}
		f.Occs = append(f.Occs, r)
	}
	for i := 0; i < len(d.Documents)+spareDocs; i++ {
		r := docRow{I: i}
		if i < len(d.Documents) {
			r.DeskDocument = d.Documents[i]
		}
		f.Docs = append(f.Docs, r)
	}
	return f
}

// deskOf reads the desk's form. Rows left empty are dropped, so the rows the use case
// numbers its errors by are the rows drawn again.
func deskOf(r *http.Request) profiles.Desk {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	on := func(k string) bool { return r.PostFormValue(k) != "" }
	d := profiles.Desk{FullName: v("full_name"), Nationality: v("nationality"), BirthDate: v("birth_date"), Gender: v("gender"),
		Phone: v("phone"), Email: v("email"), CURP: v("curp"), CurrentState: v("current_state"), Municipality: v("municipality"),
		Hub: v("hub"), WillingToRelocate: on("willing_to_relocate"), EducationLevel: v("education_level"),
		AvailableFrom: v("available_from"), ShareProfile: on("share_profile"),
		PreferredStates: []string{}, Languages: []models.LanguageSkill{}, Skills: []profiles.DeskSkill{}, DesiredOccupations: []string{}}
	for _, st := range r.PostForm["preferred_states"] {
		if st = strings.TrimSpace(st); st != "" {
			d.PreferredStates = append(d.PreferredStates, st)
		}
	}
	for i := 0; i < maxRows; i++ {
		n := strconv.Itoa(i)
		if code, level := v("lang_code_"+n), v("lang_level_"+n); code != "" || level != "" {
			d.Languages = append(d.Languages, models.LanguageSkill{Code: code, Level: level})
		}
		if name := v("skill_" + n); name != "" {
			d.Skills = append(d.Skills, profiles.DeskSkill{Name: name, Years: v("skill_years_" + n)})
		}
		if occ := v("occupation_" + n); occ != "" {
			d.DesiredOccupations = append(d.DesiredOccupations, occ)
		}
		if typ := v("doc_type_" + n); typ != "" {
			d.Documents = append(d.Documents, profiles.DeskDocument{Type: models.DocumentType(typ), Number: v("doc_number_" + n),
				IssuedOn: v("doc_issued_" + n), ExpiresOn: v("doc_expires_" + n), State: v("doc_state_" + n),
				EmployerID: v("doc_employer_" + n), WorkPermission: on("doc_work_" + n)})
		}
	}
	return d
}

// deskFieldErrors maps a refusal's fields to their messages, for the form to draw next to
// each field; ok is false when err is not a refusal of the form.
func deskFieldErrors(p *Page, err error) (map[string]string, bool) {
	e, ok := models.AsError(err)
	if !ok || !models.IsKind(err, models.ErrInvalid) {
		return nil, false
	}
	into := map[string]string{}
	for _, f := range e.Fields {
		if _, seen := into[f.Field]; !seen {
			into[f.Field] = problemText(p, f.Field, f.Message)
		}
	}
	if len(e.Fields) == 0 {
		into[""] = e.Message
	}
	return into, true
}

func (s *Server) deskData(p *Page, f deskForm) map[string]any {
	return map[string]any{"F": f, "States": models.States, "DocTypes": models.DocumentTypes,
		"Education": models.EducationLevels, "Levels": models.LanguageLevels, "Langs": deskLanguages, "CURPStates": curpStates}
}

// curpStates are the two-letter codes a CURP gives the state of birth in, NE for
// people born abroad, for the script that checks the CURP as it is typed.
var curpStates = func() string {
	codes := []string{"NE"}
	for _, st := range models.States {
		codes = append(codes, st.CURPCode)
	}
	return strings.Join(codes, " ")
}()

// deskLanguages are the languages the desk's suggestions are looked up in.
var deskLanguages = []string{"es", "en", "fr", "ht"}

func (s *Server) deskNew(w http.ResponseWriter, r *http.Request, p *Page) {
	if err := s.cfg.Profiles.MayRegister(p.User); err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "desk", s.deskData(p, newDeskForm(profiles.Desk{}, Prefix+"/desk/new", false, map[string]string{})))
}

func (s *Server) deskCreate(w http.ResponseWriter, r *http.Request, p *Page) {
	d := deskOf(r)
	prof, err := s.cfg.Profiles.Create(r.Context(), p.User, d)
	if err != nil {
		if fields, ok := deskFieldErrors(p, err); ok {
			s.renderStatus(w, p, http.StatusUnprocessableEntity, "desk", s.deskData(p, newDeskForm(d, Prefix+"/desk/new", false, fields)))
			return
		}
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/candidates/"+prof.ID+"?saved=1", http.StatusSeeOther)
}

func (s *Server) deskEdit(w http.ResponseWriter, r *http.Request, p *Page) {
	prof, err := s.cfg.Profiles.Get(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title = p.Tf("title.desk_edit", prof.FullName)
	s.render(w, p, "desk", s.deskData(p, newDeskForm(profiles.DeskOf(prof.Candidate), Prefix+"/candidates/"+prof.ID+"/edit", true, map[string]string{})))
}

func (s *Server) deskUpdate(w http.ResponseWriter, r *http.Request, p *Page) {
	id := r.PathValue("id")
	d := deskOf(r)
	if _, err := s.cfg.Profiles.Update(r.Context(), p.User, id, d); err != nil {
		if fields, ok := deskFieldErrors(p, err); ok {
			p.Title = p.Tf("title.desk_edit", d.FullName)
			s.renderStatus(w, p, http.StatusUnprocessableEntity, "desk", s.deskData(p, newDeskForm(d, Prefix+"/candidates/"+id+"/edit", true, fields)))
			return
		}
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/candidates/"+id+"?saved=1", http.StatusSeeOther)
}

// vocabulary answers the desk's autocomplete: the occupations or skills whose labels
// in the person's language match what was typed (trade words, nothing personal).
func (s *Server) vocabulary(w http.ResponseWriter, r *http.Request, p *Page) {
	q := r.URL.Query()
	kind := models.ConceptSkill
	if r.PathValue("kind") == "occupations" {
		kind = models.ConceptOccupation
	}
	text := q.Get("q")
	if len(text) > models.MaxVocabularyQuery {
		text = text[:models.MaxVocabularyQuery]
	}
	hits, err := s.cfg.Profiles.Suggest(p.User, kind, text, q.Get("lang"), 8)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err != nil {
		status := http.StatusInternalServerError
		if models.IsKind(err, models.ErrForbidden) {
			status = http.StatusForbidden
		}
		w.WriteHeader(status)
		w.Write([]byte("[]"))
		return
	}
	type item struct {
		Label   string `json:"label"`
		Spanish string `json:"es"`
	}
	out := make([]item, len(hits))
	for i, h := range hits {
		out[i] = item{Label: h.Label, Spanish: h.Spanish}
	}
	json.NewEncoder(w).Encode(out)
}

// Err is the problem of a field of the form ("" when there is none).
func (f deskForm) Err(field string) string { return f.Errors[field] }

// ErrID is the id of the element that says what is wrong with a field.
func (f deskForm) ErrID(field string) string {
	return "err-" + strings.NewReplacer("[", "-", "]", "", ".", "-", "_", "-").Replace(field)
}

// Row is a numbered field's name in the use case's terms ("documents[2].number").
func (f deskForm) Row(list string, i int, field string) string {
	return list + "[" + strconv.Itoa(i) + "]." + field
}

// problemText says what is wrong with a field in the page's language: the use case's
// words (English, with the detail that helps to correct it) after a short phrase.
func problemText(p *Page, field, msg string) string {
	switch {
	case strings.HasPrefix(msg, "is required"):
		return p.T("desk.required")
	case strings.Contains(msg, "is not a date"):
		return p.T("desk.bad_date") + " " + msg
	case field == "curp":
		return p.T("curp.invalid") + ": " + msg
	}
	return p.T("desk.check") + ": " + msg
}

// Reason says in the page's language why another profile may be the same person
// (dedupe's reasons, whose figures stay in English).
func (p *Page) Reason(r string) string {
	for _, k := range []struct{ prefix, key string }{
		{"same CURP", "dup.curp"},
		{"same birth date and nationality", "dup.birth_nationality"},
		{"same birth date and close name", "dup.birth_name"},
		{"shares a phone", "dup.phone"},
	} {
		if strings.HasPrefix(r, k.prefix) {
			return p.T(k.key)
		}
	}
	return r
}
