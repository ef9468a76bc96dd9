package web

import (
	"os"
	"regexp"
	"testing"

	"github.com/vincula/vincula/models"
)

// TestDeskAndMatchesTranslated: every word the desk and the matches pages show has a
// Spanish and an English text, those their templates and handlers name and those
// they build from a record's values (document types, score parts, education levels,
// languages, sexes).
func TestDeskAndMatchesTranslated(t *testing.T) {
	keys := map[string]bool{}
	named := regexp.MustCompile(`\.Tf? "([a-z_.0-9A-Z]+)"|p\.Tf?\("([a-z_.0-9A-Z]+)"`)
	for _, f := range []string{"templates/desk.html", "templates/matches.html", "templates/vacancies.html", "templates/candidate.html",
		"templates/candidates.html", "templates/layout.html", "desk.go", "matches.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range named.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]+m[2]] = true
		}
	}
	for _, d := range models.DocumentTypes {
		keys["doc."+string(d)] = true
	}
	for _, p := range []string{"text", "skills", "occupation", "experience", "languages", "location", "availability"} {
		keys["part."+p] = true
	}
	for _, e := range models.EducationLevels {
		keys["edu."+e] = true
	}
	for _, l := range append(deskLanguages, "pt") {
		keys["lang."+l] = true
	}
	for _, g := range []string{"F", "M", "X"} {
		keys["gender."+g] = true
	}
	for _, k := range []string{"dup.curp", "dup.birth_nationality", "dup.birth_name", "dup.phone"} {
		keys[k] = true
	}
	keys["title.desk"], keys["title.matches"], keys["title.vacancies"] = true, true, true
	if len(keys) < 100 {
		t.Fatalf("only %d keys found: the pattern no longer reads the templates", len(keys))
	}
	for k := range keys {
		m, ok := messages[k]
		if !ok || m[0] == "" || m[1] == "" {
			t.Errorf("message %q has no Spanish or no English text", k)
		}
	}
}
