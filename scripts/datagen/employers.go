package datagen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/vincula/vincula/models"
)

// makeEmployers draws n employers from one sequence, so that names and RFCs can be kept
// unique: the store refuses a second employer with the same RFC.
func (g *Generator) makeEmployers(n int) []models.Employer {
	r := g.rng(streamEmployers, 0)
	out := make([]models.Employer, 0, n)
	names := make(map[string]bool, n)
	rfcs := make(map[string]bool, n)
	for i := range n {
		st := employerStates[employerStateTable.pick(r)]
		sector := sectorsByRegion[st.region].pick(r)
		words := companyWords[sector]

		var name, trade string
		for try := 0; ; try++ {
			trade = oneOf(r, words)
			if chance(r, 35) {
				trade += " " + oneOf(r, companyFamilies)
			} else {
				trade += " " + oneOf(r, st.adjectives)
			}
			if try >= 8 {
				// Past a handful of tries the common names are taken; a plant number
				// keeps the name unique the way real groups name their subsidiaries.
				trade += fmt.Sprintf(" Planta %d", i+1)
			}
			name = trade + " " + companySuffixes.pick(r)
			if !names[name] {
				break
			}
		}
		names[name] = true

		var rfc string
		for {
			rfc = companyRFC(r, trade, g.today)
			if !rfcs[rfc] {
				break
			}
		}
		rfcs[rfc] = true

		e := models.Employer{
			ID:           fmt.Sprintf("emp-%06d", i),
			Name:         name,
			RFC:          rfc,
			State:        st.code,
			Municipality: st.municipalities[min(r.IntN(len(st.municipalities)), r.IntN(len(st.municipalities)))],
			Sector:       sector,
			ContactEmail: "rh@" + domainOf(trade) + ".com.mx",
			CreatedAt:    g.today.Time().Add(-time.Duration(30+r.IntN(1500))*24*time.Hour + time.Duration(9+r.IntN(9))*time.Hour),
		}
		if chance(r, 35) {
			stateCode, _ := models.StateByCode(st.code)
			e.INMEmployerRegistration = fmt.Sprintf("INM-%s-%d-%04d", stateCode.CURPCode, g.today.Time().Year()-r.IntN(6), r.IntN(10000))
		}
		out = append(out, e)
	}
	return out
}

// rfcSkipWords are the words the SAT leaves out when it takes letters from a company name.
var rfcSkipWords = []string{"de", "del", "la", "las", "los", "el", "y", "e", "en", "para", "por", "con"}

// companyRFC builds a company RFC the SAT's way: three letters from the name (the
// initials of the first three words, or more letters of a shorter name), the founding
// date YYMMDD and a three-character homoclave.
func companyRFC(r *rand.Rand, name string, today models.Date) string {
	var words []string
	for _, w := range strings.Fields(models.Fold(name)) {
		if !slices.Contains(rfcSkipWords, w) {
			words = append(words, strings.ToUpper(w))
		}
	}
	var letters string
	switch len(words) {
	case 1:
		letters = (words[0] + "XXX")[:3]
	case 2:
		letters = words[0][:1] + (words[1] + "XX")[:2]
	default:
		letters = words[0][:1] + words[1][:1] + words[2][:1]
	}
	founded := today.AddDays(-(365*3 + r.IntN(365*40))).Time()
	const homoclave = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789"
	return fmt.Sprintf("%s%02d%02d%02d%c%c%c", letters,
		founded.Year()%100, int(founded.Month()), founded.Day(),
		homoclave[r.IntN(len(homoclave))], homoclave[r.IntN(len(homoclave))], "0123456789A"[r.IntN(11)])
}

// domainOf turns a trade name into a web domain: "Autopartes de Saltillo" →
// "autopartesdesaltillo".
func domainOf(name string) string {
	return strings.ReplaceAll(models.Fold(name), " ", "")
}
