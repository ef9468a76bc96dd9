package api

import (
	"net/http"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
)

// routeTable lists every endpoint once; the router and the OpenAPI document are built
// from it.
func (s *Server) routeTable() []route {
	routes := s.coreRoutes()
	// Each capability with routes of its own adds them here, from its own file.
	routes = append(routes, s.importRoutes()...)
	routes = append(routes, s.migrantRoutes()...)
	routes = append(routes, s.vocabularyRoutes()...)
	routes = append(routes, s.tokenRoutes()...)
	routes = append(routes, s.webhookRoutes()...)
	routes = append(routes, s.duplicateRoutes()...)
	routes = append(routes, s.alertRoutes()...)
	routes = append(routes, s.mergeRoutes()...)
	return routes
}

func (s *Server) coreRoutes() []route {
	employerWriters := []models.Role{models.RoleAdmin, models.RoleOrganiser, models.RoleCounsellor}
	vacancyWriters := []models.Role{models.RoleEmployer, models.RoleOrganiser, models.RoleAdmin}
	return []route{
		{method: "GET", path: "/healthz", summary: "Liveness", public: true, handle: s.healthz, response: map[string]string{}},
		{method: "GET", path: "/readyz", summary: "Readiness: the database answers, and the index answers and follows the change feed (503 naming the lag and the last error once its follower keeps failing); index_follower reports the follower", public: true, handle: s.readyz, response: readiness{}},
		{method: "GET", path: "/metrics", summary: "Prometheus metrics", public: true, handle: s.metricsHandler, contentType: "text/plain"},
		{method: "GET", path: "/api/v1/openapi.json", summary: "This OpenAPI document", public: true, handle: s.openapi, response: openAPIBody{}},

		{method: "POST", path: "/api/v1/users", summary: "Create a user and show its token once", roles: []models.Role{models.RoleAdmin},
			handle: s.createUser, request: userRequest{}, response: userCreated{}, status: http.StatusCreated},

		{method: "POST", path: "/api/v1/employers", summary: "Register an employer", roles: employerWriters,
			handle: s.createEmployer, request: employerRequest{}, response: models.Employer{}, status: http.StatusCreated},
		{method: "GET", path: "/api/v1/employers", summary: "List employers", roles: allRoles, handle: s.listEmployers,
			response: listResponse[models.Employer]{}, query: []string{"rfc", "state", "q", "limit", "cursor"}},
		{method: "GET", path: "/api/v1/employers/:id", summary: "Read an employer", roles: allRoles, handle: s.getEmployer, response: models.Employer{}},

		{method: "POST", path: "/api/v1/vacancies", summary: "Post a vacancy", roles: vacancyWriters,
			handle: s.createVacancy, request: vacancyRequest{}, response: models.Vacancy{}, status: http.StatusCreated},
		{method: "GET", path: "/api/v1/vacancies", summary: "List vacancies", roles: allRoles, handle: s.listVacancies,
			response: listResponse[models.Vacancy]{}, query: []string{"state", "status", "employer_id", "job_fair_id", "q", "limit", "cursor"}},
		{method: "GET", path: "/api/v1/vacancies/:id/matches", summary: "Ranked candidates legally able to work at the vacancy's state on its start date (owner employer, counsellor, admin)",
			roles: []models.Role{models.RoleEmployer, models.RoleCounsellor, models.RoleAdmin}, handle: s.vacancyMatches,
			response: listResponse[candidateMatch]{}, query: []string{"limit", "cursor"}},
		{method: "GET", path: "/api/v1/vacancies/:id", summary: "Read a vacancy", roles: allRoles, handle: s.getVacancy, response: models.Vacancy{}},
		{method: "PATCH", path: "/api/v1/vacancies/:id", summary: "Change a vacancy (owner employer, the fair's organiser, admin)", roles: vacancyWriters,
			handle: s.patchVacancy, request: vacancyRequest{}, response: models.Vacancy{}},
		{method: "DELETE", path: "/api/v1/vacancies/:id", summary: "Delete a vacancy (owner employer, the fair's organiser, admin)", roles: vacancyWriters,
			handle: s.deleteVacancy, status: http.StatusNoContent},

		{method: "POST", path: "/api/v1/candidates", summary: "Register a candidate's profile", roles: staff,
			handle: s.createCandidate, request: candidateRequest{}, response: candidateCreated{}, status: http.StatusCreated},
		{method: "GET", path: "/api/v1/candidates", summary: "List candidates (staff)", roles: staff, handle: s.listCandidates,
			response: listResponse[candidateView]{}, query: []string{"state", "hub", "status", "q", "limit", "cursor"}},
		{method: "GET", path: "/api/v1/candidates/search", summary: "Search people legally able to work at state on date (state required for employers, who get the minimised view)",
			roles: []models.Role{models.RoleEmployer, models.RoleCounsellor, models.RoleAdmin}, handle: s.searchCandidates,
			response: listResponse[candidateMatch]{}, query: []string{"q", "state", "date", "skills", "languages", "min_experience_years", "limit", "cursor"}},
		{method: "GET", path: "/api/v1/candidates/:id/matches", summary: "Ranked open vacancies where the candidate may legally work",
			roles: staff, handle: s.candidateMatches, response: listResponse[vacancyMatch]{}, query: []string{"limit", "cursor"}},
		{method: "GET", path: "/api/v1/candidates/:id", summary: "Read a profile (employers get the minimised view, audited)",
			roles: append([]models.Role{models.RoleEmployer}, staff...), handle: s.getCandidate, response: candidateView{},
			alternatives: []any{employerCandidateView{}}},
		{method: "PATCH", path: "/api/v1/candidates/:id", summary: "Change a profile", roles: staff,
			handle: s.patchCandidate, request: candidateRequest{}, response: candidateView{}},
		{method: "DELETE", path: "/api/v1/candidates/:id", summary: "Erase the person (ARCO cancellation)",
			roles: []models.Role{models.RoleCounsellor, models.RoleAdmin}, handle: s.deleteCandidate, status: http.StatusNoContent},
		{method: "GET", path: "/api/v1/candidates/:id/eligibility", summary: "Where and until when the candidate may legally work",
			roles: staff, handle: s.candidateEligibility, response: matching.Decision{}, query: []string{"state", "date"}},

		{method: "POST", path: "/api/v1/offices", summary: "Create an SNE office", roles: []models.Role{models.RoleAdmin},
			handle: s.createOffice, request: officeRequest{}, response: models.Office{}, status: http.StatusCreated},
		{method: "GET", path: "/api/v1/offices", summary: "List SNE offices", roles: staff, handle: s.listOffices, response: listResponse[models.Office]{}},
		{method: "GET", path: "/api/v1/offices/:id", summary: "Read an SNE office", roles: staff, handle: s.getOffice, response: models.Office{}},
		{method: "POST", path: "/api/v1/counsellors", summary: "Create a counsellor and show its token once", roles: []models.Role{models.RoleAdmin},
			handle: s.createCounsellor, request: counsellorRequest{}, response: counsellorCreated{}, status: http.StatusCreated},
		{method: "GET", path: "/api/v1/counsellors", summary: "List counsellors with their open caseloads",
			roles: []models.Role{models.RoleCounsellor, models.RoleAdmin}, handle: s.listCounsellors,
			response: listResponse[models.Counsellor]{}, query: []string{"office", "limit", "cursor"}},
		{method: "GET", path: "/api/v1/counsellors/:id", summary: "Read a counsellor", roles: []models.Role{models.RoleCounsellor, models.RoleAdmin},
			handle: s.getCounsellor, response: models.Counsellor{}},

		{method: "PATCH", path: "/api/v1/counsellors/:id", summary: "Change a counsellor's capacity, languages or active flag (deactivating re-routes their open referrals)",
			roles: []models.Role{models.RoleAdmin}, handle: s.patchCounsellor, request: counsellorPatch{}, response: models.Counsellor{}},

		{method: "POST", path: "/api/v1/referrals", summary: "Refer a candidate to a vacancy (routed to an SNE counsellor); employers ask for one to their own vacancies",
			roles: []models.Role{models.RoleCounsellor, models.RoleAdmin, models.RoleEmployer}, handle: s.createReferral,
			request: referralRequest{}, response: referralView{}, status: http.StatusCreated},
		{method: "GET", path: "/api/v1/referrals", summary: "List referrals: a counsellor's own (or ?office=), an employer's vacancies', all for admins; oldest first",
			roles: []models.Role{models.RoleCounsellor, models.RoleAdmin, models.RoleEmployer}, handle: s.listReferrals,
			response: listResponse[models.Referral]{}, query: []string{"office", "status", "vacancy_id", "candidate_id", "limit", "cursor"}},
		{method: "GET", path: "/api/v1/referrals/:id", summary: "Read a referral with its history",
			roles: []models.Role{models.RoleCounsellor, models.RoleAdmin, models.RoleEmployer}, handle: s.getReferral, response: referralView{}},
		{method: "POST", path: "/api/v1/referrals/:id/transitions", summary: "Move a referral along its lifecycle; an illegal move is a 409 naming the allowed ones",
			roles: []models.Role{models.RoleCounsellor, models.RoleAdmin, models.RoleEmployer}, handle: s.transitionReferral,
			request: transitionRequest{}, response: referralView{}},

		{method: "POST", path: "/api/v1/job-fairs", summary: "Create a job fair", roles: []models.Role{models.RoleOrganiser, models.RoleAdmin},
			handle: s.createJobFair, request: jobFairRequest{}, response: models.JobFair{}, status: http.StatusCreated},
		{method: "GET", path: "/api/v1/job-fairs", summary: "List job fairs (organisers see their own)", roles: allRoles,
			handle: s.listJobFairs, response: listResponse[models.JobFair]{}, query: []string{"limit", "cursor"}},
		{method: "GET", path: "/api/v1/job-fairs/:id", summary: "Read a job fair", roles: allRoles, handle: s.getJobFair, response: models.JobFair{}},
	}
}
