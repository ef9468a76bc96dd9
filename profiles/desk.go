package profiles

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vincula/vincula/models"
)

// Desk is what hub staff type about a person at the desk: the profile's own fields and
// the documents whose originals they hold. Dates come as typed (YYYY-MM-DD) so that a
// wrong one is reported next to its field with the profile's other problems. Fields
// the desk does not show (past jobs, status) keep their values on an edit.
type Desk struct {
	FullName, Nationality, BirthDate string
	Gender, Phone, Email, CURP       string
	CurrentState, Municipality, Hub  string
	WillingToRelocate                bool
	PreferredStates                  []string
	Languages                        []models.LanguageSkill
	Skills                           []DeskSkill
	DesiredOccupations               []string
	EducationLevel, AvailableFrom    string
	ShareProfile                     bool
	Documents                        []DeskDocument
}

// DeskSkill is a skill as typed at the desk, with its years of practice when the
// person says them.
type DeskSkill struct {
	Name, Years string
}

// DeskDocument is an immigration document as typed at the desk.
type DeskDocument struct {
	Type                models.DocumentType
	Number              string
	IssuedOn, ExpiresOn string
	State, EmployerID   string
	WorkPermission      bool
}

// DeskOf is the desk's form filled in with a stored profile, for editing it.
func DeskOf(c models.Candidate) Desk {
	d := Desk{FullName: c.FullName, Nationality: c.Nationality, BirthDate: dayText(c.BirthDate), Gender: c.Gender,
		Phone: c.Phone, Email: c.Email, CURP: c.CURP, CurrentState: c.CurrentState, Municipality: c.Municipality, Hub: c.Hub,
		WillingToRelocate: c.WillingToRelocate, PreferredStates: slices.Clone(c.PreferredStates), Languages: slices.Clone(c.Languages),
		DesiredOccupations: slices.Clone(c.DesiredOccupations), EducationLevel: c.EducationLevel,
		AvailableFrom: dayText(c.AvailableFrom), ShareProfile: c.Consent.ShareProfile}
	for _, sk := range c.Skills {
		ds := DeskSkill{Name: sk.Name}
		if sk.Years != nil {
			ds.Years = strconv.FormatFloat(*sk.Years, 'f', -1, 64)
		}
		d.Skills = append(d.Skills, ds)
	}
	for _, doc := range c.Documents {
		d.Documents = append(d.Documents, DeskDocument{Type: doc.Type, Number: doc.Number, IssuedOn: dayText(doc.IssuedOn),
			ExpiresOn: dayText(doc.ExpiresOn), State: doc.State, EmployerID: doc.EmployerID, WorkPermission: doc.WorkPermission})
	}
	return d
}

func dayText(d models.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// mayWrite lets the staff who register people at a hub or an office write profiles, as
// the API's POST and PATCH /candidates do.
func mayWrite(u models.User) error {
	if !slices.Contains(staff, u.Role) {
		return models.Errorf(models.ErrForbidden, "only hub staff, counsellors and admins may register and edit profiles")
	}
	return nil
}

// MayRegister says whether u may register and edit profiles at the desk (nil when
// so), for a page to tell before it shows the form.
func (s *Service) MayRegister(u models.User) error { return mayWrite(u) }

// Create registers the person typed at the desk and returns the profile with where
// and until when they may work. The documents are recorded as verified by u: staff
// type them with the original in hand, as the API's registration does. A refused
// profile comes back as an invalid error naming each wrong field.
func (s *Service) Create(ctx context.Context, u models.User, d Desk) (Profile, error) {
	if err := mayWrite(u); err != nil {
		return Profile{}, err
	}
	var c models.Candidate
	if err := s.apply(&c, d, u); err != nil {
		return Profile{}, err
	}
	if err := s.store.CreateCandidate(ctx, &c); err != nil {
		return Profile{}, err
	}
	if err := s.store.RecordAudit(ctx, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: "candidate.registered",
		SubjectType: "candidate", SubjectID: c.ID, Detail: "desk"}); err != nil {
		return Profile{}, err
	}
	// One person, once: the new profile's suspected duplicates are recorded for staff
	// (the API's duplicate flags), as at the API's registration; the profile shows them.
	if _, err := s.people.AtRegistration(ctx, c); err != nil {
		return Profile{}, err
	}
	return s.Get(ctx, u, c.ID)
}

// Update replaces the desk's fields of a profile. A document left as it was keeps its
// verification; a new or changed one is verified by u.
func (s *Service) Update(ctx context.Context, u models.User, id string, d Desk) (Profile, error) {
	if err := mayWrite(u); err != nil {
		return Profile{}, err
	}
	c, err := s.store.Candidate(ctx, id)
	if err != nil {
		return Profile{}, err
	}
	if err := s.apply(&c, d, u); err != nil {
		return Profile{}, err
	}
	if err := s.store.UpdateCandidate(ctx, &c); err != nil {
		return Profile{}, err
	}
	if err := s.store.RecordAudit(ctx, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: "candidate.updated",
		SubjectType: "candidate", SubjectID: c.ID, Detail: "desk"}); err != nil {
		return Profile{}, err
	}
	return s.Get(ctx, u, c.ID)
}

// apply writes the desk's fields onto c, stamps consent and the documents, normalises
// and validates; every wrong field is reported at once.
func (s *Service) apply(c *models.Candidate, d Desk, u models.User) error {
	var fe models.FieldErrors
	date := func(field, raw string) models.Date {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return models.Date{}
		}
		v, err := models.ParseDate(raw)
		if err != nil {
			fe.Add(field, "%q is not a date (YYYY-MM-DD)", raw)
		}
		return v
	}
	at := s.now().UTC().Truncate(time.Microsecond)
	c.FullName, c.Nationality, c.BirthDate, c.Gender = d.FullName, d.Nationality, date("birth_date", d.BirthDate), d.Gender
	c.Phone, c.Email, c.CURP = d.Phone, d.Email, d.CURP
	c.CurrentState, c.Municipality, c.Hub, c.WillingToRelocate = d.CurrentState, d.Municipality, d.Hub, d.WillingToRelocate
	c.PreferredStates, c.Languages = nonNil(d.PreferredStates), nonNil(d.Languages)
	c.Skills = make([]models.CandidateSkill, 0, len(d.Skills))
	for i, ds := range d.Skills {
		sk := models.CandidateSkill{Name: ds.Name}
		if raw := strings.TrimSpace(ds.Years); raw != "" {
			y, err := strconv.ParseFloat(strings.ReplaceAll(raw, ",", "."), 64)
			if err != nil {
				fe.Add(fmt.Sprintf("skills[%d].years", i), "%q is not a number of years", raw)
			} else {
				sk.Years = &y
			}
		}
		c.Skills = append(c.Skills, sk)
	}
	c.DesiredOccupations, c.EducationLevel = nonNil(d.DesiredOccupations), d.EducationLevel
	c.AvailableFrom = date("available_from", d.AvailableFrom)
	if c.Experience == nil {
		c.Experience = []models.Experience{}
	}
	// The consent's date records when the current choice was made.
	if c.Consent.GivenAt == nil || c.Consent.ShareProfile != d.ShareProfile {
		c.Consent = models.Consent{ShareProfile: d.ShareProfile, GivenAt: &at}
	}
	old := c.Documents
	c.Documents = make([]models.Document, 0, len(d.Documents))
	for i, dd := range d.Documents {
		doc := models.Document{Type: dd.Type, Number: dd.Number, IssuedOn: date(fmt.Sprintf("documents[%d].issued_on", i), dd.IssuedOn),
			ExpiresOn: date(fmt.Sprintf("documents[%d].expires_on", i), dd.ExpiresOn), State: dd.State, EmployerID: dd.EmployerID,
			WorkPermission: dd.WorkPermission}
		doc.Normalize()
		if prev, ok := sameDocument(old, doc); ok {
			doc = prev
		} else {
			doc.Verified, doc.VerifiedBy, doc.VerifiedAt = true, u.ID, &at
		}
		c.Documents = append(c.Documents, doc)
	}
	c.Normalize()
	if err := c.ValidateAt(models.DateOf(s.now().In(s.loc))); err != nil {
		if e, ok := models.AsError(err); ok {
			fe = append(fe, e.Fields...)
		} else {
			return err
		}
	}
	return fe.Err()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// sameDocument finds a stored document equal to d in every typed field.
func sameDocument(docs []models.Document, d models.Document) (models.Document, bool) {
	for _, o := range docs {
		if o.Type == d.Type && o.Number == d.Number && o.IssuedOn.Equal(d.IssuedOn) && o.ExpiresOn.Equal(d.ExpiresOn) &&
			o.WorkPermission == d.WorkPermission && o.State == d.State && o.EmployerID == d.EmployerID {
			return o, true
		}
	}
	return models.Document{}, false
}

// CheckCURP says what is wrong with a CURP as typed (nil when nothing is), by the same
// check a saved profile passes: the console's desk asks it as the CURP is typed.
func CheckCURP(raw string) error {
	return models.ValidCURP(strings.ToUpper(strings.TrimSpace(raw)))
}

// Suggestion is a term of the vocabulary for what a person says they do.
type Suggestion struct {
	// Label is what the person said it as, the label that matched in their language.
	Label string
	// Spanish is the concept's preferred label in Spanish, for the staff who type it.
	Spanish string
}

// Suggest looks up the occupations (kind models.ConceptOccupation) or skills
// (models.ConceptSkill) whose labels in lang (es, en, fr, ht) match what was typed, best
// first, for the desk's autocomplete.
func (s *Service) Suggest(u models.User, kind, q, lang string, limit int) ([]Suggestion, error) {
	if err := mayWrite(u); err != nil {
		return nil, err
	}
	if kind != models.ConceptOccupation && kind != models.ConceptSkill {
		return nil, models.Errorf(models.ErrInvalid, "kind must be %s or %s", models.ConceptOccupation, models.ConceptSkill)
	}
	if !slices.Contains([]string{"es", "en", "fr", "ht"}, lang) {
		lang = "es"
	}
	limit = min(max(limit, 1), models.MaxVocabularyLimit)
	v := models.DefaultVocabulary()
	var out []Suggestion
	for _, h := range v.Search(q, lang, kind, limit) {
		out = append(out, Suggestion{Label: h.Matched, Spanish: v.Label(h.ID, "es")})
	}
	return out, nil
}
