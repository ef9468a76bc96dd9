package importer

import (
	"context"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
)

// TestWorkConditionColumns: the columns adolescents' work depends on are read under
// Spanish and English headers; a dangerous occupation is hazardous when the cell is
// empty, and a sheet cannot declare it otherwise (only an admin can, on the vacancy).
func TestWorkConditionColumns(t *testing.T) {
	for _, header := range []string{
		"Folio,Empresa,RFC,Puesto,Estado,Vacantes,Fecha de inicio,Trabajo peligroso,Trabajo nocturno,Venta de alcohol,Horas por semana\n",
		"external_id,employer_name,rfc,job title,state,openings,start date,hazardous,night work,serves alcohol,hours per week\n",
	} {
		t.Run(strings.SplitN(header, ",", 2)[0], func(t *testing.T) {
			in := header +
				"A-1,Tiendas del Norte,MNO120315AB1,Ayudante de tienda,Nuevo León,2,01/02/2027,no,no,no,30\n" +
				"A-2,Tiendas del Norte,MNO120315AB1,Mesero,Nuevo León,2,01/02/2027,,sí,sí,48\n" +
				"A-3,Tiendas del Norte,MNO120315AB1,Soldador,Nuevo León,2,01/02/2027,,,,\n" +
				"A-4,Tiendas del Norte,MNO120315AB1,Soldador,Nuevo León,2,01/02/2027,no,,,40\n" +
				"A-5,Tiendas del Norte,MNO120315AB1,Cajero,Nuevo León,2,01/02/2027,tal vez,,,200\n"
			store := newFakeStore()
			res, err := Run(context.Background(), writeFile(t, "f.csv", []byte(in)), fair, Options{Mode: models.ImportValidRows}, store)
			if err != nil {
				t.Fatal(err)
			}
			if res.Created != 3 || res.Failed != 2 {
				t.Fatalf("created %d, failed %d: %+v", res.Created, res.Failed, res.Errors)
			}
			shop, bar, welder := store.vacancies["fair-1|A-1"], store.vacancies["fair-1|A-2"], store.vacancies["fair-1|A-3"]
			if shop.Hazardous == nil || *shop.Hazardous || shop.NightWork || shop.ServesAlcohol || shop.HoursPerWeek != 30 {
				t.Errorf("shop %+v", shop)
			}
			if bar.Hazardous == nil || *bar.Hazardous || !bar.NightWork || !bar.ServesAlcohol || bar.HoursPerWeek != 48 {
				t.Errorf("bar %+v", bar)
			}
			if welder.Hazardous == nil || !*welder.Hazardous || welder.HoursPerWeek != 0 {
				t.Errorf("a welder with empty cells must be hazardous by occupation: %+v", welder)
			}
			byRow := map[int][]string{}
			for _, e := range res.Errors {
				byRow[e.Row] = append(byRow[e.Row], e.Column+": "+e.Message)
			}
			if got := strings.Join(byRow[5], " | "); !strings.Contains(got, "only an admin") {
				t.Errorf("row 5 (a welder declared not hazardous): %q", got)
			}
			if got := strings.Join(byRow[6], " | "); !strings.Contains(got, "tal vez") || !strings.Contains(got, "200") {
				t.Errorf("row 6 (bad yes/no, 200 hours): %q", got)
			}
		})
	}
}
