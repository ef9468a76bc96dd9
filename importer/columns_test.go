package importer

import (
	"errors"
	"reflect"
	"testing"

	"github.com/vincula/vincula/models"
)

func TestLookupHeader(t *testing.T) {
	cases := []struct {
		header string
		want   column
	}{
		{"external_id", colExternalID},
		{"ID externo", colExternalID},
		{"Folio", colExternalID},
		{"CLAVE", colExternalID},
		{"Razón social", colEmployerName},
		{"RAZON SOCIAL", colEmployerName},
		{"Nombre de la empresa", colEmployerName},
		{"employer", colEmployerName},
		{"R.F.C.", colRFC},
		{"Puesto", colTitle},
		{"Nombre del puesto", colTitle},
		{"Vacante", colTitle},
		{"Vacantes", colPositions},
		{"Número de vacantes", colPositions},
		{"Descripción", colDescription},
		{"Ocupación ISCO", colOccupationCode},
		{"Habilidades", colSkills},
		{"Habilidades requeridas", colRequiredSkills},
		{"Habilidades deseables", colOptionalSkills},
		{"Idiomas", colLanguages},
		{"Años de experiencia", colMinExperience},
		{"Escolaridad", colEducation},
		{"Entidad", colState},
		{"Estado", colState},
		{"Estado de la empresa", colEmployerState},
		{"Ciudad", colMunicipality},
		{"Salario mínimo (MXN mensual)", colSalaryMin},
		{"Sueldo máximo", colSalaryMax},
		{"salary_max", colSalaryMax},
		{"Fecha de inicio (DD/MM/AAAA)", colStartDate},
		{"Fecha de término", colEndDate},
		{"¿Apoyo de reubicación?", colRelocation},
		{"Estatus", colStatus},
		{"  Puesto  ", colTitle},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			got, ok := lookupHeader(tc.header)
			if !ok || got != tc.want {
				t.Errorf("got %v (%v), want %v", columnSpecs[got].name, ok, columnSpecs[tc.want].name)
			}
		})
	}
	for _, h := range []string{"Observaciones", "Teléfono", ""} {
		if c, ok := lookupHeader(h); ok {
			t.Errorf("%q matched %s", h, columnSpecs[c].name)
		}
	}
}

func TestNewLayout(t *testing.T) {
	cases := []struct {
		name    string
		header  []string
		unknown []string
		err     string
	}{
		{
			name:    "unknown columns are listed once",
			header:  []string{"Puesto", "RFC", "Empresa", "Estado", "Fecha de inicio", "Vacantes", "Notas", "", "Notas", " Contacto "},
			unknown: []string{"Notas", "Contacto"},
		},
		{
			name:   "missing required columns are named",
			header: []string{"Puesto", "Empresa", "Salario mínimo"},
			err:    `the header row has no column for "RFC" (rfc), "Estado" (state), "Fecha de inicio" (start_date) and "Vacantes" (positions); add the missing columns (Spanish or English names are both fine) and upload the file again`,
		},
		{
			name:   "two names for one column",
			header: []string{"Puesto", "RFC", "Empresa", "Razón social", "Estado", "Fecha de inicio", "Vacantes"},
			err:    `the columns "Empresa" and "Razón social" both give the employer name; delete or rename one of them`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, unknown, err := newLayout(tc.header)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if !errors.Is(err, models.ErrInvalid) {
					t.Errorf("error %v is not ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(unknown, tc.unknown) {
				t.Errorf("unknown %q, want %q", unknown, tc.unknown)
			}
		})
	}
}
