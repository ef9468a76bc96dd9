//go:build ignore

// Command gen writes two of the importer's test files: vacantes_feria.xlsx (Spanish
// headers, real date cells stored as Excel serial numbers, numbers stored as numbers)
// and vacantes_cp1252.csv (semicolons, Windows-1252 bytes for ñ, á, é, as Excel on a
// Spanish Windows saves a CSV). The files are committed; run this only to change them:
//
//	cd importer/testdata && go run gen/main.go
package main

import (
	"log"
	"os"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

func main() {
	if err := writeXLSX("vacantes_feria.xlsx"); err != nil {
		log.Fatal(err)
	}
	if err := writeCP1252("vacantes_cp1252.csv"); err != nil {
		log.Fatal(err)
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// xlsxRows are written from row 1; a nil row leaves that spreadsheet row untouched, as
// a row nobody typed in.
var xlsxRows = [][]any{
	{"ID externo", "Empresa", "RFC", "Puesto", "Descripción", "Código de ocupación", "Habilidades", "Idiomas", "Experiencia mínima", "Escolaridad", "Estado", "Municipio", "Salario mínimo (MXN)", "Salario máximo (MXN)", "Vacantes", "Fecha de inicio", "Fecha de término", "Apoyo de reubicación", "Observaciones"},
	{"F-001", "Maquiladora del Norte S.A. de C.V.", "MNO120315AB1", "Operador de producción", "Operación de máquinas de ensamble", 8189, "ensamble*; lectura de planos; montacargas", "es:native; en:A2", 1, "Secundaria", "Nuevo León", "Apodaca", 9500, 12000, 25, day(2026, 2, 1), nil, "Sí", "turno nocturno"},
	{"F-002", "Construcciones Pacífico", "cpa050607rt3", "Albañil", "Obra negra y acabados", 7112, "albañilería (requerida), acabados", "", "2 años", "primaria", "nuevo leon", "Monterrey", "$12,000.00", "15,000", 10, "15/03/2026", "30/06/2026", "no", ""},
	{"F-003", "Hotel Riviera Maya", "HRI990101XY2", "Recamarista", "Limpieza de habitaciones", 9112, "limpieza*", "inglés B1", nil, "Preparatoria", "MX-ROO", "Benito Juárez", 8000, 9000, 5, "2026-04-01", nil, "x", ""},
	{"F-004", "Maquiladora del Norte S.A. de C.V.", "MNO120315AB1", "Soldador", "Soldadura MIG", 7212, "soldadura MIG*", "", 3, "técnico", "Nuevo León", "Apodaca", 14000, 18000, 4, "31/02/2026", nil, "sí", ""},
	{"F-005", "Maquiladora del Norte S.A. de C.V.", "MNO120315AB1", "Supervisor de línea", "", 3122, "", "", 5, "licenciatura", "NLE", "Apodaca", 15000, 12000, 2, day(2026, 2, 1), nil, "no", ""},
	{"F-006", "Agrícola del Bajío", "ABA101010QQ1", "Jornalero", "Cosecha", 9211, "", "", 0, "ninguna", "Texas", "", 7000, 8000, 30, day(2026, 3, 2), nil, "sí", ""},
	{"F-007", "Agrícola del Bajío", "ABA101010QQ1", "Empacador", "Empaque de hortalizas", 9321, "", "", 0, "primaria", "Guanajuato", "Celaya", 7500, 8500, 0, day(2026, 3, 2), nil, "no", ""},
	{"F-008", "Transportes Sierra", "TSI080808AA8", "", "Reparto local", 8322, "", "", 2, "secundaria", "Sonora", "Hermosillo", 11000, 13000, 3, day(2026, 3, 9), nil, "no", ""},
	{"F-009", "Transportes Sierra", "ABC123", "Chofer de tráiler", "Rutas al norte", 8332, "licencia federal*", "", 3, "secundaria", "Sonora", "Hermosillo", 16000, 20000, 6, day(2026, 3, 9), nil, "sí", ""},
	{"F-010", "Alimentos del Centro", "ACE020202BB2", "Ayudante de cocina", "Preparación de alimentos", 9412, "", "", 0, "ninguna", "Edo. de México", "Toluca", 7800, 9000, 8, day(2026, 3, 19), day(2026, 12, 31), "no", ""},
	nil,
	{"F-011", "Servicios Urbanos", "SUR111111CC1", "Guardia de seguridad", "Vigilancia", 5414, "", "", 1, "secundaria", "CDMX", "Iztapalapa", 9000, 10500, 12, 46113, nil, 1, ""},
}

func writeXLSX(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Vacantes"); err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	for i, row := range xlsxRows {
		if row == nil {
			continue
		}
		for j, v := range row {
			if v == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return err
			}
			if err := f.SetCellValue("Vacantes", cell, v); err != nil {
				return err
			}
		}
	}
	// Column P (Fecha de inicio) holds dates; the serial typed as a number in the last
	// row gets the date format too, as when someone pastes values.
	if err := f.SetCellStyle("Vacantes", "P2", "Q13", dateStyle); err != nil {
		return err
	}
	if _, err := f.NewSheet("Notas"); err != nil {
		return err
	}
	if err := f.SetCellValue("Notas", "A1", "Llenar una fila por vacante."); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// cp1252Lines have no external ID column, so their keys come from their content.
var cp1252Lines = []string{
	"Razón social;RFC;Nombre del puesto;Descripción;Habilidades requeridas;Habilidades deseables;Idiomas;Años de experiencia;Nivel educativo;Entidad;Ciudad;Sueldo mínimo;Sueldo máximo;Número de vacantes;Fecha de inicio;Fecha fin;Reubicación",
	"Compañía Minera de Zacatecas;CMZ030303DD3;Señalero;Señalización en mina a cielo abierto;seguridad industrial;primeros auxilios|radio;español nativo;1;secundaria;Zacatecas;Fresnillo;$12,000.00;$14,500.00;6;01/02/2026;;sí",
	"Compañía Minera de Zacatecas;CMZ030303DD3;Mecánico diésel;\"Mantenimiento de camiones; motores\";mecánica diésel;;inglés básico;3;carrera técnica;Zacatecas;Fresnillo;15 000;18 000;3;1/3/2026;31-12-2026;si",
	"Textiles de Querétaro;TQU070707EE7;Costurera;Confección en máquina recta;costura recta;overlock;;0;primaria;Querétaro;El Marqués;8,500;9,500;20;02-03-2026;;no",
	"Textiles de Querétaro;TQU070707EE7;Cortador;Corte de tela;;;;1;secundaria;Querétaro;El Marqués;9000;10000;4;32/03/2026;;no",
	"Textiles de Querétaro;TQU070707EE7;Planchador;Planchado industrial;;;;0;primaria;Querétaro;El Marqués;10,000;9,000;2;02/03/2026;;no",
	"Logística Potosina;LPO090909FF9;Montacarguista;Carga y descarga;montacargas;;;1;secundaria;Potosí;San Luis Potosí;10000;12000;5;09/03/2026;;sí",
	"Logística Potosina;LPO090909FF9;Almacenista;Control de inventario;;;;1;secundaria;San Luis Potosí;San Luis Potosí;9500;11000;0;09/03/2026;;no",
	"Logística Potosina;LPO090909FF9;;Acomodo de mercancía;;;;0;secundaria;SLP;San Luis Potosí;8000;9000;3;09/03/2026;;no",
	"Panadería La Espiga;PLE;Panadero;Elaboración de pan dulce;;;;2;primaria;Jalisco;Guadalajara;9000;11000;2;16/03/2026;;no",
	"Compañía Minera de Zacatecas;CMZ030303DD3;Señalero;Otra descripción;;;;1;secundaria;Zacatecas;Fresnillo;12000;14500;2;2026-02-01;;sí",
}

func writeCP1252(path string) error {
	text := strings.Join(cp1252Lines, "\r\n") + "\r\n"
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
