package importer

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vincula/vincula/models"
)

// BenchmarkParseCSV reads and checks a 100,000-row sheet (pass 1 of an import, which is
// the whole of a dry run) and reports rows per second.
func BenchmarkParseCSV(b *testing.B) {
	const rows = 100_000
	path := filepath.Join(b.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "Folio;Razón social;RFC;Puesto;Descripción;Habilidades;Idiomas;Experiencia;Escolaridad;Estado;Municipio;Salario mínimo;Salario máximo;Vacantes;Fecha de inicio;Reubicación")
	states := []string{"Nuevo León", "MX-COA", "Baja California", "SLP", "Sonora", "Edo. de México"}
	for i := range rows {
		fmt.Fprintf(w, "F-%d;Empresa %d S.A. de C.V.;MNO120315AB1;Operador de producción %d;\"Operación de máquinas; turno %d\";ensamble*, montacargas;\"es:native, en:A2\";%d;secundaria;%s;Municipio %d;$%d,500.00;%d,000;%d;%02d/03/2026;sí\n",
			i, i%500, i, i%3, i%5, states[i%len(states)], i%40, 8+i%5, 14+i%5, 1+i%20, 1+i%28)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		res, err := Run(context.Background(), path, models.JobFair{ID: "bench"}, Options{DryRun: true}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if res.TotalRows != rows || res.Failed != 0 {
			b.Fatalf("total %d, failed %d: %v", res.TotalRows, res.Failed, res.Errors[:min(3, len(res.Errors))])
		}
		n += rows
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
}
