package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// The demo users' tokens are fixed so the README's curl tour works as written. They
// exist only in a database seeded with --demo; never seed a production database.
var demoTokens = []struct {
	token, name string
	role        models.Role
	scope       string // employer RFC or office name
}{
	{"demo-admin", "Demo Admin", models.RoleAdmin, ""},
	{"demo-employer-nl", "RR. HH. Maquiladora Regiomontana", models.RoleEmployer, "MRE990301KX4"},
	{"demo-employer-chp", "RR. HH. Cafetalera del Soconusco", models.RoleEmployer, "CSO050815PL2"},
	{"demo-hub-tapachula", "Centro de Información Tapachula", models.RoleHubStaff, ""},
	{"demo-organiser", "Feria del Empleo Monterrey", models.RoleOrganiser, ""},
}

// seedDemo loads realistic demo data once: SNE offices per region with counsellors,
// employers in Nuevo León, Coahuila, Baja California and Chiapas with vacancies, and
// candidates registered at the Tapachula and Palenque hubs with a mix of documents.
func seedDemo(ctx context.Context, st *store.Store, out io.Writer) error {
	if _, err := st.UserByTokenHash(ctx, accounts.HashToken("demo-admin")); err == nil {
		fmt.Fprintln(out, "demo data already loaded")
		printDemoTokens(out, nil)
		printDemoAccounts(out)
		return nil
	}
	now := st.Now()
	today := models.DateOf(now().In(mexicoCity()))
	offices := map[string]*models.Office{
		"chp": {Name: "SNE Chiapas — Tapachula", State: "MX-CHP", CoverageStates: []string{"MX-CHP", "MX-TAB", "MX-CAM", "MX-ROO"}},
		"nle": {Name: "SNE Nuevo León — Monterrey", State: "MX-NLE", CoverageStates: []string{"MX-NLE", "MX-COA", "MX-TAM", "MX-SLP"}},
		"bcn": {Name: "SNE Baja California — Tijuana", State: "MX-BCN", CoverageStates: []string{"MX-BCN", "MX-SON", "MX-BCS"}},
		"nat": {Name: "SNE Nacional — Ciudad de México", State: "MX-CMX", CoverageStates: []string{"MX-CMX"}, National: true},
	}
	for _, key := range []string{"chp", "nle", "bcn", "nat"} {
		offices[key].ID = "demo-office-" + key
		if err := st.CreateOffice(ctx, offices[key]); err != nil {
			return err
		}
	}
	counsellors := []struct {
		office, name, email string
		langs               []string
		token               string
	}{
		{"chp", "Ana Lucía Gómez", "ana.gomez@sne.example", []string{"es", "ht", "fr"}, "demo-counsellor-chp"},
		{"chp", "Jorge Méndez", "jorge.mendez@sne.example", []string{"es", "en"}, ""},
		{"nle", "Patricia Garza", "patricia.garza@sne.example", []string{"es", "en"}, "demo-counsellor-nle"},
		{"bcn", "Luis Fernando Ruiz", "luis.ruiz@sne.example", []string{"es", "en", "ht"}, ""},
		{"nat", "Mariana Torres", "mariana.torres@sne.example", []string{"es", "fr"}, ""},
	}
	var tokens []string
	userOf := map[string]models.User{}
	for _, c := range counsellors {
		co := models.Counsellor{Name: c.name, Email: c.email, OfficeID: offices[c.office].ID, Languages: c.langs, Capacity: 15}
		u := models.User{Name: c.name, Email: c.email, Role: models.RoleCounsellor}
		token := c.token
		if token == "" {
			token, _ = accounts.NewToken()
		}
		if err := st.CreateCounsellor(ctx, &co, &u, accounts.HashToken(token)); err != nil {
			return err
		}
		u.CounsellorID, u.OfficeID = co.ID, co.OfficeID
		userOf[c.token] = u
		if c.token != "" {
			tokens = append(tokens, fmt.Sprintf("  %-22s counsellor, %s", c.token, offices[c.office].Name))
		}
	}

	employers := map[string]*models.Employer{
		"MRE990301KX4": {Name: "Maquiladora Regiomontana S.A. de C.V.", State: "MX-NLE", Municipality: "Apodaca", Sector: "manufacturing", INMEmployerRegistration: "INM-NL-2023-0412"},
		"ASA101122RT7": {Name: "Autopartes de Saltillo S.A. de C.V.", State: "MX-COA", Municipality: "Ramos Arizpe", Sector: "manufacturing"},
		"ASQ870610MN3": {Name: "Agrícola San Quintín S.P.R. de R.L.", State: "MX-BCN", Municipality: "San Quintín", Sector: "agriculture"},
		"CSO050815PL2": {Name: "Cafetalera del Soconusco S.C.", State: "MX-CHP", Municipality: "Tapachula", Sector: "agriculture"},
		"CTR120404QW8": {Name: "Constructora del Tren Maya Sur S.A. de C.V.", State: "MX-CHP", Municipality: "Palenque", Sector: "construction"},
	}
	for rfc, e := range employers {
		e.RFC = rfc
		if err := st.CreateEmployer(ctx, e); err != nil {
			return err
		}
	}
	salary := func(n int) *int { return &n }
	vacancies := []models.Vacancy{
		{EmployerID: employers["MRE990301KX4"].ID, Title: "Operador(a) de producción", Description: "Línea de ensamble de arneses eléctricos, turno rotativo, transporte y comedor.",
			OccupationCode: "8212", Skills: []models.VacancySkill{{Name: "ensamble", Required: true}, {Name: "control de calidad"}},
			EducationLevel: "secondary", State: "MX-NLE", Municipality: "Apodaca", SalaryMin: salary(9800), SalaryMax: salary(11500), Positions: 12,
			StartDate: today.AddDays(21), RelocationSupport: true, HoursPerWeek: 48, NightWork: true},
		{EmployerID: employers["MRE990301KX4"].ID, Title: "Montacarguista", Description: "Carga y descarga en almacén, manejo de montacargas con licencia.",
			OccupationCode: "8344", Skills: []models.VacancySkill{{Name: "manejo de montacargas", Required: true}}, MinExperienceYears: 1,
			EducationLevel: "secondary", State: "MX-NLE", Municipality: "Apodaca", SalaryMin: salary(11000), SalaryMax: salary(13000), Positions: 3,
			StartDate: today.AddDays(14), RelocationSupport: true, HoursPerWeek: 48},
		{EmployerID: employers["ASA101122RT7"].ID, Title: "Soldador MIG", Description: "Soldadura de estructuras metálicas para autopartes, lectura de planos.",
			OccupationCode: "7212", Skills: []models.VacancySkill{{Name: "soldadura MIG", Required: true}, {Name: "lectura de planos"}}, MinExperienceYears: 2,
			EducationLevel: "secondary", State: "MX-COA", Municipality: "Ramos Arizpe", SalaryMin: salary(13000), SalaryMax: salary(16000), Positions: 4,
			StartDate: today.AddDays(30), HoursPerWeek: 48},
		{EmployerID: employers["ASQ870610MN3"].ID, Title: "Jornalero(a) agrícola — cosecha de fresa", Description: "Temporada de cosecha, vivienda en el campo.",
			OccupationCode: "9211", Skills: []models.VacancySkill{{Name: "cosecha", Required: true}},
			EducationLevel: "none", State: "MX-BCN", Municipality: "San Quintín", SalaryMin: salary(8500), SalaryMax: salary(10000), Positions: 40,
			StartDate: today.AddDays(10), RelocationSupport: true, HoursPerWeek: 48},
		{EmployerID: employers["CSO050815PL2"].ID, Title: "Cortador(a) de café", Description: "Corte de café en finca del Soconusco, temporada noviembre–marzo.",
			OccupationCode: "9211", Skills: []models.VacancySkill{{Name: "corte de café", Required: true}},
			EducationLevel: "none", State: "MX-CHP", Municipality: "Tapachula", SalaryMin: salary(7500), SalaryMax: salary(8500), Positions: 25,
			StartDate: today.AddDays(3), HoursPerWeek: 48},
		{EmployerID: employers["CTR120404QW8"].ID, Title: "Albañil", Description: "Obra civil de estaciones, cimbra y colado.",
			OccupationCode: "7112", Skills: []models.VacancySkill{{Name: "albañilería", Required: true}, {Name: "cimbra"}}, MinExperienceYears: 2,
			EducationLevel: "primary", State: "MX-CHP", Municipality: "Palenque", SalaryMin: salary(10500), SalaryMax: salary(12500), Positions: 10,
			StartDate: today.AddDays(7), HoursPerWeek: 48},
		// Part-time daytime work in a shop: what a 15- to 17-year-old may take.
		{EmployerID: employers["CSO050815PL2"].ID, Title: "Auxiliar de tienda (medio tiempo)", Description: "Acomodo de mercancía y atención al cliente en la tienda de la finca, turno matutino de 6 horas.",
			OccupationCode: "5223", Skills: []models.VacancySkill{{Name: "atención al cliente", Required: true}, {Name: "ventas"}},
			EducationLevel: "none", State: "MX-CHP", Municipality: "Tapachula", SalaryMin: salary(5200), SalaryMax: salary(6000), Positions: 2,
			StartDate: today.AddDays(5), HoursPerWeek: 30},
	}
	// Fixed IDs let the README's curl tour name demo records as written.
	vacancyIDs := []string{"demo-v-operador-apodaca", "demo-v-montacarguista-apodaca", "demo-v-soldador-ramos-arizpe",
		"demo-v-jornalero-san-quintin", "demo-v-cafe-tapachula", "demo-v-albanil-palenque", "demo-v-tienda-tapachula"}
	for i := range vacancies {
		vacancies[i].ID = vacancyIDs[i]
		vacancies[i].Status = models.VacancyOpen
		vacancies[i].Normalize()
		if err := vacancies[i].Validate(); err != nil {
			return fmt.Errorf("demo vacancy %q: %w", vacancies[i].Title, err)
		}
		if err := st.CreateVacancy(ctx, &vacancies[i]); err != nil {
			return err
		}
	}

	given := now().UTC().Add(-72 * time.Hour)
	hubStaff := "demo-hub-tapachula"
	verified := func(d models.Document) models.Document {
		at := given
		d.Verified, d.VerifiedBy, d.VerifiedAt = true, hubStaff, &at
		return d
	}
	years := func(y float64) *float64 { return &y }
	candidates := []models.Candidate{
		{FullName: "Jean-Baptiste Pierre", Nationality: "HT", BirthDate: models.MustDate("1991-04-12"), Gender: "M", Phone: "+529621110001",
			CurrentState: "MX-CHP", Municipality: "Tapachula", Hub: "Tapachula", WillingToRelocate: true, PreferredStates: []string{"MX-NLE", "MX-COA"},
			Languages:  []models.LanguageSkill{{Code: "ht", Level: "native"}, {Code: "fr", Level: "C1"}, {Code: "es", Level: "B1"}},
			Skills:     []models.CandidateSkill{{Name: "bòs mason", Years: years(8)}, {Name: "cimbra", Years: years(3)}},
			Experience: []models.Experience{{Title: "maçon", OccupationCode: "7112", Years: 8, Country: "HT"}}, EducationLevel: "secondary",
			DesiredOccupations: []string{"albañil"},
			Documents: []models.Document{verified(models.Document{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-CHP-2026-018842",
				IssuedOn: today.AddDays(-120), ExpiresOn: today.AddDays(245)})}},
		{FullName: "María Fernanda López Castillo", Nationality: "HN", BirthDate: models.MustDate("1996-09-03"), Gender: "F", Phone: "+529621110002",
			CURP: models.CompleteCURP("LOCM960903MNEPSR0"), CurrentState: "MX-CHP", Municipality: "Tapachula", Hub: "Tapachula",
			Languages:  []models.LanguageSkill{{Code: "es", Level: "native"}},
			Skills:     []models.CandidateSkill{{Name: "costura", Years: years(5)}, {Name: "máquina de coser industrial", Years: years(4)}},
			Experience: []models.Experience{{Title: "costurera", OccupationCode: "8153", Years: 5, Country: "HN"}}, EducationLevel: "secondary",
			DesiredOccupations: []string{"costurera", "operadora de producción"},
			Documents: []models.Document{verified(models.Document{Type: models.DocConstanciaCOMAR, Number: "COMAR-TAP-2026-55120",
				IssuedOn: today.AddDays(-60), ExpiresOn: today.AddDays(120), State: "MX-CHP"})}},
		{FullName: "Carlos Alberto Ramírez Díaz", Nationality: "SV", BirthDate: models.MustDate("1988-01-22"), Gender: "M", Phone: "+529621110003",
			CurrentState: "MX-CHP", Municipality: "Tapachula", Hub: "Tapachula", WillingToRelocate: true, PreferredStates: []string{"MX-NLE", "MX-BCN"},
			Languages:  []models.LanguageSkill{{Code: "es", Level: "native"}, {Code: "en", Level: "A2"}},
			Skills:     []models.CandidateSkill{{Name: "soldadura MIG", Years: years(6)}, {Name: "lectura de planos", Years: years(4)}},
			Experience: []models.Experience{{Title: "soldador", OccupationCode: "7212", Years: 6, Country: "SV"}}, EducationLevel: "upper_secondary",
			DesiredOccupations: []string{"soldador"},
			Documents: []models.Document{verified(models.Document{Type: models.DocResidenteTemporal, Number: "RT-2025-7731904",
				IssuedOn: today.AddDays(-300), ExpiresOn: today.AddDays(430), WorkPermission: true})}},
		{FullName: "Yessenia Marisol Pérez", Nationality: "GT", BirthDate: models.MustDate("2000-06-30"), Gender: "F", Phone: "+529621110004",
			CurrentState: "MX-CHP", Municipality: "Tapachula", Hub: "Tapachula",
			Languages:  []models.LanguageSkill{{Code: "es", Level: "native"}, {Code: "mam", Level: "native"}},
			Skills:     []models.CandidateSkill{{Name: "corte de café", Years: years(4)}, {Name: "cosecha", Years: years(4)}},
			Experience: []models.Experience{{Title: "jornalera agrícola", OccupationCode: "9211", Years: 4, Country: "GT"}}, EducationLevel: "primary",
			DesiredOccupations: []string{"jornalera"},
			Documents: []models.Document{verified(models.Document{Type: models.DocVisitanteTrabajadorFronterizo, Number: "TVTF-2026-330017",
				IssuedOn: today.AddDays(-90), ExpiresOn: today.AddDays(275)})}},
		{FullName: "Wilson Andrés Morales", Nationality: "VE", BirthDate: models.MustDate("1993-11-15"), Gender: "M", Phone: "+529341110005",
			CurrentState: "MX-CHP", Municipality: "Palenque", Hub: "Palenque", WillingToRelocate: true, PreferredStates: []string{"MX-NLE"},
			Languages:  []models.LanguageSkill{{Code: "es", Level: "native"}, {Code: "en", Level: "B1"}},
			Skills:     []models.CandidateSkill{{Name: "manejo de montacargas", Years: years(3)}, {Name: "almacén", Years: years(5)}},
			Experience: []models.Experience{{Title: "montacarguista", OccupationCode: "8344", Years: 3, Country: "VE"}}, EducationLevel: "upper_secondary",
			DesiredOccupations: []string{"montacarguista", "almacenista"},
			Documents: []models.Document{verified(models.Document{Type: models.DocResidentePermanente, Number: "RP-2024-0098112",
				IssuedOn: today.AddDays(-500)})}},
		{FullName: "Roselène Joseph", Nationality: "HT", BirthDate: models.MustDate("1998-02-08"), Gender: "F", Phone: "+529341110006",
			CurrentState: "MX-CHP", Municipality: "Palenque", Hub: "Palenque",
			Languages:  []models.LanguageSkill{{Code: "ht", Level: "native"}, {Code: "fr", Level: "B2"}, {Code: "es", Level: "A2"}},
			Skills:     []models.CandidateSkill{{Name: "cuidado de adultos mayores", Years: years(2)}, {Name: "cocina", Years: years(3)}},
			Experience: []models.Experience{{Title: "kwizinyè", Years: 3, Country: "HT"}}, EducationLevel: "secondary",
			Documents: []models.Document{verified(models.Document{Type: models.DocVisitanteRegional, Number: "TVR-2026-118230",
				IssuedOn: today.AddDays(-30), ExpiresOn: today.AddDays(150)})}},
		{FullName: "Óscar Iván Hernández", Nationality: "HN", BirthDate: models.MustDate("1985-07-19"), Gender: "M", Phone: "+529621110007",
			CurrentState: "MX-CHP", Municipality: "Tapachula", Hub: "Tapachula", WillingToRelocate: true, PreferredStates: []string{"MX-COA", "MX-NLE"},
			Languages:  []models.LanguageSkill{{Code: "es", Level: "native"}},
			Skills:     []models.CandidateSkill{{Name: "ensamble", Years: years(4)}, {Name: "control de calidad", Years: years(2)}},
			Experience: []models.Experience{{Title: "operador de producción", OccupationCode: "8212", Years: 4, Country: "HN"}}, EducationLevel: "secondary",
			DesiredOccupations: []string{"operador de producción"},
			Documents: []models.Document{
				verified(models.Document{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-CHP-2025-004417",
					IssuedOn: today.AddDays(-400), ExpiresOn: today.AddDays(-35)}),
				verified(models.Document{Type: models.DocResidenteTemporal, Number: "RT-2026-0045521",
					IssuedOn: today.AddDays(-20), ExpiresOn: today.AddDays(345)}),
			}},
		// Óscar's children, registered with him. Kevin is 13: never matched, marked for
		// the protection pathway (DIF). Daniela is 16 and finished secondary school: she
		// is matched only to work the law allows at her age (the part-time shop job).
		{FullName: "Kevin Hernández", Nationality: "HN", BirthDate: today.AddYears(-13).AddDays(-41), Gender: "M",
			CurrentState: "MX-CHP", Municipality: "Tapachula", Hub: "Tapachula",
			Languages:  []models.LanguageSkill{{Code: "es", Level: "native"}},
			Skills:     []models.CandidateSkill{{Name: "atención al cliente"}},
			Experience: []models.Experience{}, EducationLevel: "primary",
			Documents: []models.Document{verified(models.Document{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-CHP-2026-009812",
				IssuedOn: today.AddDays(-20), ExpiresOn: today.AddDays(345)})}},
		{FullName: "Daniela Hernández", Nationality: "HN", BirthDate: today.AddYears(-16).AddDays(-130), Gender: "F",
			CurrentState: "MX-CHP", Municipality: "Tapachula", Hub: "Tapachula",
			Languages:  []models.LanguageSkill{{Code: "es", Level: "native"}, {Code: "en", Level: "A2"}},
			Skills:     []models.CandidateSkill{{Name: "atención al cliente"}, {Name: "ventas"}},
			Experience: []models.Experience{{Title: "ayudante de tienda", OccupationCode: "5223", Years: 0.5, Country: "HN"}}, EducationLevel: "secondary",
			DesiredOccupations: []string{"ayudante de tienda"},
			Documents: []models.Document{verified(models.Document{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-CHP-2026-009813",
				IssuedOn: today.AddDays(-20), ExpiresOn: today.AddDays(345)})}},
	}
	candidateIDs := []string{"demo-c-jean-baptiste", "demo-c-maria-fernanda", "demo-c-carlos-alberto", "demo-c-yessenia",
		"demo-c-wilson", "demo-c-roselene", "demo-c-oscar", "demo-c-kevin", "demo-c-daniela"}
	for i := range candidates {
		c := &candidates[i]
		c.ID = candidateIDs[i]
		c.Status = models.CandidateActive
		c.Consent = models.Consent{ShareProfile: true, GivenAt: &given}
		c.Normalize()
		if err := c.ValidateAt(today); err != nil {
			return fmt.Errorf("demo candidate %q: %w", c.FullName, err)
		}
		if err := st.CreateCandidate(ctx, c); err != nil {
			return err
		}
	}

	for _, d := range demoTokens {
		u := models.User{Name: d.name, Role: d.role}
		if d.role == models.RoleEmployer {
			u.EmployerID = employers[d.scope].ID
		}
		if err := st.CreateUser(ctx, &u, accounts.HashToken(d.token)); err != nil {
			return err
		}
		userOf[d.token] = u
	}
	if err := seedConsoleDemo(ctx, st, userOf); err != nil {
		return err
	}
	fmt.Fprintf(out, "demo data loaded: %d offices, %d counsellors, %d employers, %d vacancies, %d candidates\n",
		len(offices), len(counsellors), len(employers), len(vacancies), len(candidates))
	printDemoTokens(out, tokens)
	printDemoAccounts(out)
	return nil
}

func printDemoTokens(out io.Writer, counsellorLines []string) {
	fmt.Fprintln(out, "demo bearer tokens (demo data only):")
	for _, d := range demoTokens {
		fmt.Fprintf(out, "  %-22s %s\n", d.token, d.role)
	}
	if counsellorLines == nil {
		counsellorLines = []string{"  demo-counsellor-chp    counsellor", "  demo-counsellor-nle    counsellor"}
	}
	for _, l := range counsellorLines {
		fmt.Fprintln(out, l)
	}
}

func mexicoCity() *time.Location {
	loc, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		return time.FixedZone("CST", -6*3600)
	}
	return loc
}
