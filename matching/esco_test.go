package matching

import (
	"testing"

	"github.com/vincula/vincula/models"
)

func experience(title, code string, years float64) models.Candidate {
	return models.Candidate{Experience: []models.Experience{{Title: title, OccupationCode: code, Years: years}}}
}

// TestScoreESCOLinks: a vacancy's occupation brings the skills ESCO links to it, and the
// other way round; occupations of one ISCO-08 unit group are close trades.
func TestScoreESCOLinks(t *testing.T) {
	vocab := models.DefaultVocabulary()
	pipe, _ := vocab.Concept("esco_o_7212_3_3")
	if len(pipe.Related) > 0 || pipe.Origin != models.OriginESCO {
		t.Fatalf("the pipe welder should come from ESCO alone, with no hand-made link: %+v", pipe.Related)
	}
	welder, _ := vocab.Concept("welder")
	optional := ""
	for _, id := range welder.Optional {
		if c, _ := vocab.Concept(id); c.Origin == models.OriginESCO && len(c.Labels["es"]) > 0 {
			if got := vocab.Match(c.Labels["es"][0]); len(got) == 1 && got[0] == id {
				optional = c.Labels["es"][0]
				break
			}
		}
	}
	if optional == "" {
		t.Fatal("no optional ESCO skill of the welder with a Spanish label")
	}
	checkPart(t, "skills", []partCase{
		{"an ESCO occupation's essential skill: a pipe welder vacancy, soldadura MIG",
			models.Vacancy{Title: "Soldador de tuberías"}, models.Candidate{Skills: skills("soldadura MIG")}, 1},
		{"the other way round: an essential ESCO skill asked, a welder's experience",
			models.Vacancy{Title: "Soldador", Skills: required("realizar soldaduras MIG")}, experience("soldador", "", 3), 1},
		{"an ESCO skill asked and listed as such",
			models.Vacancy{Title: "Soldador", Skills: required("realizar soldaduras MIG")}, models.Candidate{Skills: skills("realizar soldaduras MIG")}, 1},
		{"an optional ESCO skill of the occupation: partial credit (" + optional + ")",
			models.Vacancy{Title: "Soldador", Skills: required(optional)}, experience("soldador", "", 3), relatedCredit},
		{"another occupation of the same ISCO-08 unit group: partial credit",
			models.Vacancy{Title: "Soldador de tuberías"}, models.Candidate{DesiredOccupations: []string{"soldador"}}, relatedCredit},
		{"an unrelated trade earns nothing",
			models.Vacancy{Title: "Soldador de tuberías"}, models.Candidate{Skills: skills("costura")}, 0},
	})
}

// TestScoreOccupationWords: the words of the issue get the occupation credit they should
// on a "Maniobrista" (loader) vacancy and an "Almacenista" (stock clerk) one.
func TestScoreOccupationWords(t *testing.T) {
	var cases []partCase
	for _, w := range []string{"cargador", "loader", "manutentionnaire", "estibador", "maniobrista"} {
		cases = append(cases, partCase{"Maniobrista ← " + w, models.Vacancy{Title: "Maniobrista"}, experience(w, "", 2), 1})
	}
	// A stock clerk and a loader are second choices for each other (both linked to the
	// warehouse worker in the vocabulary), never the trade itself.
	cases = append(cases, partCase{"Maniobrista ← a warehouse clerk", models.Vacancy{Title: "Maniobrista"}, experience("auxiliar de inventarios", "", 2), 0.35})
	for _, w := range []string{"almacenista", "auxiliar de inventarios", "magasinier", "stock clerk"} {
		cases = append(cases, partCase{"Almacenista ← " + w, models.Vacancy{Title: "Almacenista"}, experience(w, "", 2), 1})
	}
	cases = append(cases, partCase{"Almacenista ← a loader", models.Vacancy{Title: "Almacenista"}, experience("cargador", "", 2), 0.35})
	for _, w := range []string{"carretillero", "montacarguista", "cariste", "forklift driver"} {
		cases = append(cases, partCase{"montacargas ← " + w, models.Vacancy{Title: "Operador de montacargas"}, experience(w, "", 2), 1})
	}
	cases = append(cases,
		partCase{"pladurista ← tablaroquero", models.Vacancy{Title: "Pladurista"}, experience("tablaroquero", "", 2), 1},
		partCase{"empleada de hogar ← trabajadora del hogar", models.Vacancy{Title: "Empleada de hogar"}, experience("trabajadora del hogar", "", 2), 1},
		partCase{"auxiliar general ← manèv", models.Vacancy{Title: "Auxiliar general"}, experience("manèv", "", 2), 1},
		partCase{"grabador de datos ← capturista", models.Vacancy{Title: "Grabador de datos"}, experience("capturista", "", 2), 1},
	)
	checkPart(t, "occupation", cases)
}

// TestScoreSINCOCodes: occupation_code in SINCO 2019 stands for the ISCO-08 unit groups
// INEGI's table maps it to, on either side.
func TestScoreSINCOCodes(t *testing.T) {
	checkPart(t, "occupation", []partCase{
		{"a SINCO vacancy code, a welder's title", models.Vacancy{OccupationCode: "sinco2019:7212"}, experience("soldador", "", 2), 1},
		{"a SINCO code mapped to two ISCO groups (8343, 8344)", models.Vacancy{OccupationCode: "sinco2019:8352"}, experience("operador de grúa", "", 2), 1},
		{"a SINCO experience code, an ISCO vacancy code", models.Vacancy{OccupationCode: "8344"}, experience("bodega", "sinco2019:8352", 2), 1},
		{"ISCO with its scheme named", models.Vacancy{OccupationCode: "isco08:7212"}, experience("obra", "7212", 2), 1},
		{"a SINCO code of another trade", models.Vacancy{OccupationCode: "sinco2019:7212"}, experience("cargador", "", 2), 0},
	})
	checkPart(t, "experience", []partCase{
		{"years in a SINCO-coded job count towards an ISCO-coded vacancy",
			models.Vacancy{OccupationCode: "7212", MinExperienceYears: 2}, experience("x", "sinco2019:7212", 2), 1},
	})
}
