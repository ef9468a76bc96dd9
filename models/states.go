package models

// State is a Mexican federal entity with its ISO 3166-2:MX code, its name and the
// two-letter code the CURP uses for it.
type State struct {
	Code     string
	Name     string
	CURPCode string
}

// States lists the 32 federal entities in ISO code order.
var States = []State{
	{"MX-AGU", "Aguascalientes", "AS"},
	{"MX-BCN", "Baja California", "BC"},
	{"MX-BCS", "Baja California Sur", "BS"},
	{"MX-CAM", "Campeche", "CC"},
	{"MX-CHH", "Chihuahua", "CH"},
	{"MX-CHP", "Chiapas", "CS"},
	{"MX-CMX", "Ciudad de México", "DF"},
	{"MX-COA", "Coahuila", "CL"},
	{"MX-COL", "Colima", "CM"},
	{"MX-DUR", "Durango", "DG"},
	{"MX-GRO", "Guerrero", "GR"},
	{"MX-GUA", "Guanajuato", "GT"},
	{"MX-HID", "Hidalgo", "HG"},
	{"MX-JAL", "Jalisco", "JC"},
	{"MX-MEX", "México", "MC"},
	{"MX-MIC", "Michoacán", "MN"},
	{"MX-MOR", "Morelos", "MS"},
	{"MX-NAY", "Nayarit", "NT"},
	{"MX-NLE", "Nuevo León", "NL"},
	{"MX-OAX", "Oaxaca", "OC"},
	{"MX-PUE", "Puebla", "PL"},
	{"MX-QUE", "Querétaro", "QT"},
	{"MX-ROO", "Quintana Roo", "QR"},
	{"MX-SIN", "Sinaloa", "SL"},
	{"MX-SLP", "San Luis Potosí", "SP"},
	{"MX-SON", "Sonora", "SR"},
	{"MX-TAB", "Tabasco", "TC"},
	{"MX-TAM", "Tamaulipas", "TS"},
	{"MX-TLA", "Tlaxcala", "TL"},
	{"MX-VER", "Veracruz", "VZ"},
	{"MX-YUC", "Yucatán", "YN"},
	{"MX-ZAC", "Zacatecas", "ZS"},
}

var statesByCode = func() map[string]State {
	m := make(map[string]State, len(States))
	for _, s := range States {
		m[s.Code] = s
	}
	return m
}()

// ValidState reports whether code is one of the 32 ISO 3166-2:MX codes.
func ValidState(code string) bool {
	_, ok := statesByCode[code]
	return ok
}

// StateByCode returns the state with the given ISO code.
func StateByCode(code string) (State, bool) {
	s, ok := statesByCode[code]
	return s, ok
}

// StateCodes returns the 32 ISO codes.
func StateCodes() []string {
	out := make([]string, len(States))
	for i, s := range States {
		out[i] = s.Code
	}
	return out
}
