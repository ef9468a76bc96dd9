package matching_test

import (
	"encoding/json"
	"fmt"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
)

// A TVTF holder registered at the Tapachula hub may work in the four southern border
// states until the card expires, but not at a vacancy in Nuevo León.
func ExampleEligibility() {
	c := &models.Candidate{
		ID: "c-1", Nationality: "GT",
		Documents: []models.Document{{
			ID: "doc-1", Type: models.DocVisitanteTrabajadorFronterizo,
			IssuedOn: models.MustDate("2026-03-01"), ExpiresOn: models.MustDate("2027-03-01"), Verified: true,
		}},
	}
	rules := matching.DefaultRules()

	ok := matching.Eligibility(c, matching.Query{State: "MX-CHP", Date: models.MustDate("2027-01-15")}, rules)
	fmt.Println(ok.Eligible, ok.Basis.DocumentType, ok.ValidUntil, ok.AllowedStates)

	no := matching.Eligibility(c, matching.Query{State: "MX-NLE", Date: models.MustDate("2027-01-15")}, rules)
	b, _ := json.MarshalIndent(no, "", "  ")
	fmt.Println(string(b))
	// Output:
	// true visitante_trabajador_fronterizo 2027-03-01 [MX-CAM MX-CHP MX-ROO MX-TAB]
	// {
	//   "eligible": false,
	//   "state": "MX-NLE",
	//   "date": "2027-01-15",
	//   "basis": null,
	//   "valid_until": null,
	//   "allowed_states": [
	//     "MX-CAM",
	//     "MX-CHP",
	//     "MX-ROO",
	//     "MX-TAB"
	//   ],
	//   "reasons": [
	//     "TVTF (visitante trabajador fronterizo): allows work only in Campeche, Chiapas, Quintana Roo and Tabasco (MX-CAM, MX-CHP, MX-ROO, MX-TAB), not in Nuevo León (MX-NLE)"
	//   ],
	//   "next_steps": [
	//     "A TVTF only allows work in Chiapas, Campeche, Tabasco and Quintana Roo: look for vacancies there. To work in another state the person needs another status, such as residente temporal with an INM work permit requested by an employer with an INM employer registration."
	//   ],
	//   "rules_version": "2026-11-01"
	// }
}

// Staff views show where a person may work today and whether that is about to end.
func ExampleSummarize() {
	c := &models.Candidate{
		ID: "c-2", CURP: "GOPM900101MNEXRR09",
		Documents: []models.Document{{
			ID: "doc-2", Type: models.DocConstanciaCOMAR, State: "MX-CHP",
			IssuedOn: models.MustDate("2026-04-01"), ExpiresOn: models.MustDate("2026-07-30"),
		}},
	}
	s := matching.Summarize(c, models.MustDate("2026-07-10"), matching.DefaultRules())
	fmt.Printf("%v %v until %s, expiring soon: %v, verified: %v\n", s.EligibleSomewhere, s.States, s.ValidUntil, s.ExpiringSoon, s.BasisVerified)
	// Output:
	// true [MX-CHP] until 2026-07-30, expiring soon: true, verified: false
}
