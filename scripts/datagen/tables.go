package datagen

import "slices"

// The tables below are small, hand-made pictures of who registers at the hubs and who
// posts vacancies. Weights are per thousand where they describe shares of people.

// hubPlace is where a candidate lives: a municipality, the information hub of that city
// and the city's telephone area code.
type hubPlace struct {
	state, municipality, hub, lada string
}

// candidatePlaces puts more than half of the candidates in Chiapas, where most people
// enter Mexico from the south and where the largest hubs are, then the rest of the
// southern route, Mexico City and the northern border cities.
var candidatePlaces = newWeighted(
	choice[hubPlace]{hubPlace{"MX-CHP", "Tapachula", "Tapachula", "962"}, 300},
	choice[hubPlace]{hubPlace{"MX-CHP", "Palenque", "Palenque", "916"}, 70},
	choice[hubPlace]{hubPlace{"MX-CHP", "Tuxtla Gutiérrez", "Tuxtla Gutiérrez", "961"}, 70},
	choice[hubPlace]{hubPlace{"MX-CHP", "Comitán de Domínguez", "Comitán", "963"}, 50},
	choice[hubPlace]{hubPlace{"MX-CHP", "Suchiate", "Ciudad Hidalgo", "962"}, 60},
	choice[hubPlace]{hubPlace{"MX-TAB", "Centro", "Villahermosa", "993"}, 50},
	choice[hubPlace]{hubPlace{"MX-TAB", "Tenosique", "Tenosique", "934"}, 30},
	choice[hubPlace]{hubPlace{"MX-TAB", "Balancán", "Balancán", "934"}, 20},
	choice[hubPlace]{hubPlace{"MX-OAX", "Juchitán de Zaragoza", "Juchitán", "971"}, 20},
	choice[hubPlace]{hubPlace{"MX-OAX", "Oaxaca de Juárez", "Oaxaca", "951"}, 20},
	choice[hubPlace]{hubPlace{"MX-OAX", "San Pedro Tapanatepec", "Tapanatepec", "994"}, 20},
	choice[hubPlace]{hubPlace{"MX-VER", "Veracruz", "Veracruz", "229"}, 20},
	choice[hubPlace]{hubPlace{"MX-VER", "Coatzacoalcos", "Coatzacoalcos", "921"}, 15},
	choice[hubPlace]{hubPlace{"MX-VER", "Acayucan", "Acayucan", "924"}, 15},
	choice[hubPlace]{hubPlace{"MX-CMX", "Iztapalapa", "Ciudad de México", "55"}, 25},
	choice[hubPlace]{hubPlace{"MX-CMX", "Cuauhtémoc", "Ciudad de México", "55"}, 20},
	choice[hubPlace]{hubPlace{"MX-CMX", "Gustavo A. Madero", "Ciudad de México", "55"}, 15},
	choice[hubPlace]{hubPlace{"MX-BCN", "Tijuana", "Tijuana", "664"}, 40},
	choice[hubPlace]{hubPlace{"MX-BCN", "Mexicali", "Mexicali", "686"}, 20},
	choice[hubPlace]{hubPlace{"MX-NLE", "Monterrey", "Monterrey", "81"}, 25},
	choice[hubPlace]{hubPlace{"MX-NLE", "Guadalupe", "Monterrey", "81"}, 8},
	choice[hubPlace]{hubPlace{"MX-NLE", "Apodaca", "Monterrey", "81"}, 7},
	choice[hubPlace]{hubPlace{"MX-COA", "Saltillo", "Saltillo", "844"}, 12},
	choice[hubPlace]{hubPlace{"MX-COA", "Piedras Negras", "Piedras Negras", "878"}, 8},
	choice[hubPlace]{hubPlace{"MX-CHH", "Juárez", "Ciudad Juárez", "656"}, 25},
	choice[hubPlace]{hubPlace{"MX-CHH", "Chihuahua", "Chihuahua", "614"}, 5},
	choice[hubPlace]{hubPlace{"MX-SON", "Nogales", "Nogales", "631"}, 6},
	choice[hubPlace]{hubPlace{"MX-SON", "Hermosillo", "Hermosillo", "662"}, 4},
	choice[hubPlace]{hubPlace{"MX-TAM", "Reynosa", "Reynosa", "899"}, 5},
	choice[hubPlace]{hubPlace{"MX-TAM", "Matamoros", "Matamoros", "868"}, 3},
	choice[hubPlace]{hubPlace{"MX-TAM", "Nuevo Laredo", "Nuevo Laredo", "867"}, 2},
	choice[hubPlace]{hubPlace{"MX-PUE", "Puebla", "Puebla", "222"}, 5},
	choice[hubPlace]{hubPlace{"MX-JAL", "Guadalajara", "Guadalajara", "33"}, 5},
)

// preferredStates are where people willing to relocate would like to go: mostly the
// northern industrial states, where the jobs of the fairs are.
var preferredStates = newWeighted(
	choice[string]{"MX-NLE", 20}, choice[string]{"MX-COA", 12}, choice[string]{"MX-BCN", 12},
	choice[string]{"MX-CHH", 9}, choice[string]{"MX-SLP", 7}, choice[string]{"MX-SON", 7},
	choice[string]{"MX-TAM", 6}, choice[string]{"MX-QUE", 6}, choice[string]{"MX-GUA", 5},
	choice[string]{"MX-JAL", 5}, choice[string]{"MX-CMX", 4}, choice[string]{"MX-ROO", 4},
	choice[string]{"MX-YUC", 3},
)

// region groups the states whose employers look alike.
type region int

const (
	regionNorth     region = iota // maquiladoras, logistics, northern agriculture
	regionSouthEast               // agriculture, construction, food
	regionResort                  // tourism of the Yucatán peninsula
	regionCentre                  // the Bajío's car and food industry
)

// employerState is a state where employers post vacancies, with its municipalities (the
// first is the largest employer town), the adjective of company names there and the
// kind of economy it has.
type employerState struct {
	code           string
	municipalities []string
	adjectives     []string
	region         region
}

// employerStates holds the states of employerStateTable, in the same order.
var employerStates = []employerState{
	{"MX-NLE", []string{"Monterrey", "Apodaca", "Guadalupe", "General Escobedo", "Santa Catarina", "San Nicolás de los Garza", "Salinas Victoria"}, []string{"Regiomontana", "del Norte", "de Nuevo León"}, regionNorth},
	{"MX-COA", []string{"Saltillo", "Ramos Arizpe", "Torreón", "Monclova", "Piedras Negras", "Acuña"}, []string{"de Saltillo", "Coahuilense", "de la Laguna"}, regionNorth},
	{"MX-BCN", []string{"Tijuana", "Mexicali", "Ensenada", "San Quintín", "Tecate"}, []string{"Bajacaliforniana", "Fronteriza", "del Pacífico"}, regionNorth},
	{"MX-SLP", []string{"San Luis Potosí", "Soledad de Graciano Sánchez", "Villa de Reyes"}, []string{"Potosina", "del Altiplano"}, regionNorth},
	{"MX-SON", []string{"Hermosillo", "Nogales", "Cajeme", "San Luis Río Colorado", "Guaymas"}, []string{"Sonorense", "del Yaqui", "del Desierto"}, regionNorth},
	{"MX-CHH", []string{"Juárez", "Chihuahua", "Delicias", "Cuauhtémoc"}, []string{"Juarense", "Chihuahuense", "del Bravo"}, regionNorth},
	{"MX-TAM", []string{"Reynosa", "Matamoros", "Nuevo Laredo", "Altamira", "Victoria"}, []string{"Tamaulipeca", "del Golfo", "Reynosense"}, regionNorth},
	{"MX-CHP", []string{"Tapachula", "Tuxtla Gutiérrez", "Palenque", "Huixtla", "Comitán de Domínguez", "Suchiate"}, []string{"del Soconusco", "Chiapaneca", "del Sureste"}, regionSouthEast},
	{"MX-TAB", []string{"Centro", "Cárdenas", "Tenosique", "Balancán", "Macuspana"}, []string{"Tabasqueña", "del Usumacinta", "del Grijalva"}, regionSouthEast},
	{"MX-CAM", []string{"Campeche", "Carmen", "Escárcega"}, []string{"Campechana", "del Carmen"}, regionSouthEast},
	{"MX-YUC", []string{"Mérida", "Progreso", "Umán", "Valladolid"}, []string{"Yucateca", "Peninsular", "Maya"}, regionResort},
	{"MX-ROO", []string{"Benito Juárez", "Solidaridad", "Tulum", "Othón P. Blanco"}, []string{"del Caribe", "Quintanarroense", "de la Riviera"}, regionResort},
	{"MX-QUE", []string{"Querétaro", "El Marqués", "San Juan del Río", "Corregidora"}, []string{"Queretana", "del Centro"}, regionCentre},
	{"MX-GUA", []string{"León", "Celaya", "Irapuato", "Silao de la Victoria", "Salamanca"}, []string{"del Bajío", "Guanajuatense", "Leonesa"}, regionCentre},
	{"MX-JAL", []string{"Guadalajara", "Zapopan", "El Salto", "Tlaquepaque", "Tlajomulco de Zúñiga"}, []string{"Tapatía", "de Occidente", "Jalisciense"}, regionCentre},
}

// employerStateTable draws an index into employerStates: the northern industrial
// states first, then the south-east and the Bajío.
var employerStateTable = newWeighted(
	choice[int]{0, 16}, choice[int]{1, 10}, choice[int]{2, 10}, choice[int]{3, 6},
	choice[int]{4, 6}, choice[int]{5, 8}, choice[int]{6, 5}, choice[int]{7, 8},
	choice[int]{8, 5}, choice[int]{9, 2}, choice[int]{10, 5}, choice[int]{11, 6},
	choice[int]{12, 5}, choice[int]{13, 5}, choice[int]{14, 5},
)

// employerStateIndex returns the index in employerStates of a state code, or -1.
func employerStateIndex(code string) int {
	return slices.IndexFunc(employerStates, func(s employerState) bool { return s.code == code })
}

// sectorsByRegion says which sectors employers of each region are in.
var sectorsByRegion = [...]weighted[string]{
	regionNorth: newWeighted(
		choice[string]{"manufacturing", 40}, choice[string]{"warehousing", 10}, choice[string]{"construction", 12},
		choice[string]{"food_processing", 8}, choice[string]{"agriculture", 8}, choice[string]{"driving", 6},
		choice[string]{"cleaning", 4}, choice[string]{"security", 3}, choice[string]{"retail", 4}, choice[string]{"textiles", 5},
	),
	regionSouthEast: newWeighted(
		choice[string]{"agriculture", 35}, choice[string]{"construction", 20}, choice[string]{"hospitality", 10},
		choice[string]{"food_processing", 10}, choice[string]{"retail", 8}, choice[string]{"cleaning", 6},
		choice[string]{"driving", 6}, choice[string]{"security", 3}, choice[string]{"care", 2},
	),
	regionResort: newWeighted(
		choice[string]{"hospitality", 40}, choice[string]{"construction", 20}, choice[string]{"cleaning", 12},
		choice[string]{"retail", 10}, choice[string]{"food_processing", 8}, choice[string]{"care", 4}, choice[string]{"security", 6},
	),
	regionCentre: newWeighted(
		choice[string]{"manufacturing", 35}, choice[string]{"agriculture", 10}, choice[string]{"food_processing", 10},
		choice[string]{"warehousing", 10}, choice[string]{"construction", 10}, choice[string]{"textiles", 8},
		choice[string]{"driving", 7}, choice[string]{"retail", 5}, choice[string]{"care", 5},
	),
}

// companyWords are the first words of company names in each sector.
var companyWords = map[string][]string{
	"manufacturing":   {"Manufacturas", "Maquiladora", "Autopartes", "Ensambles", "Componentes Industriales", "Metalmecánica", "Industrias"},
	"agriculture":     {"Agrícola", "Agroindustrias", "Cafetalera", "Bananera", "Hortalizas", "Invernaderos", "Empacadora de Frutas"},
	"construction":    {"Constructora", "Edificaciones", "Obras y Proyectos", "Grupo Constructor", "Infraestructura"},
	"hospitality":     {"Hotelera", "Operadora Turística", "Restaurantes", "Servicios Hoteleros", "Hoteles y Resorts"},
	"food_processing": {"Alimentos", "Procesadora de Alimentos", "Empacadora de Carnes", "Panificadora", "Lácteos"},
	"cleaning":        {"Servicios de Limpieza", "Mantenimiento Integral", "Limpieza Profesional"},
	"care":            {"Residencia de Cuidados", "Servicios de Salud", "Estancia Geriátrica"},
	"driving":         {"Transportes", "Autotransportes", "Fletes y Mudanzas"},
	"warehousing":     {"Logística", "Centro de Distribución", "Almacenes"},
	"retail":          {"Comercializadora", "Tiendas", "Distribuidora"},
	"security":        {"Seguridad Privada", "Vigilancia Integral"},
	"textiles":        {"Textiles", "Confecciones", "Maquila Textil"},
}

// companyFamilies are family names some companies carry.
var companyFamilies = []string{
	"Garza", "Treviño", "Villarreal", "Cantú", "Zambrano", "Elizondo", "Salinas", "Rangel",
	"Cárdenas", "Domínguez", "Castellanos", "Ochoa", "Ramos", "Orozco", "Valdés", "Montemayor",
}

// companySuffixes are the legal forms of company names.
var companySuffixes = newWeighted(
	choice[string]{"S.A. de C.V.", 70}, choice[string]{"S. de R.L. de C.V.", 15},
	choice[string]{"S.A.P.I. de C.V.", 5}, choice[string]{"S.P.R. de R.L.", 5}, choice[string]{"S.C.", 5},
)

// culture selects the name lists and the languages of a person.
type culture int

const (
	cultureHispanic culture = iota
	cultureHaitian
	cultureFrancophoneAfrica
	cultureLusophone
	cultureAnglophoneAfrica
)

// nationality is a country of origin with the culture of most people from it.
type nationality struct {
	code    string
	culture culture
}

// nationalities are the countries of origin the hubs see, per thousand candidates:
// Central America, Venezuela, Haiti and Cuba above all, and a few people from Africa
// and Brazil who cross the Darién.
var nationalities = newWeighted(
	choice[nationality]{nationality{"HN", cultureHispanic}, 230},
	choice[nationality]{nationality{"GT", cultureHispanic}, 150},
	choice[nationality]{nationality{"VE", cultureHispanic}, 140},
	choice[nationality]{nationality{"HT", cultureHaitian}, 140},
	choice[nationality]{nationality{"CU", cultureHispanic}, 90},
	choice[nationality]{nationality{"SV", cultureHispanic}, 70},
	choice[nationality]{nationality{"NI", cultureHispanic}, 50},
	choice[nationality]{nationality{"CO", cultureHispanic}, 40},
	choice[nationality]{nationality{"EC", cultureHispanic}, 40},
	choice[nationality]{nationality{"BR", cultureLusophone}, 10},
	choice[nationality]{nationality{"CM", cultureFrancophoneAfrica}, 10},
	choice[nationality]{nationality{"AO", cultureLusophone}, 8},
	choice[nationality]{nationality{"SN", cultureFrancophoneAfrica}, 6},
	choice[nationality]{nationality{"GH", cultureAnglophoneAfrica}, 6},
	choice[nationality]{nationality{"GN", cultureFrancophoneAfrica}, 5},
	choice[nationality]{nationality{"CD", cultureFrancophoneAfrica}, 5},
)

// nameList holds the given names and surnames of one culture.
type nameList struct {
	female, male, surnames []string
	// twoSurnames is true where people carry a father's and a mother's surname.
	twoSurnames bool
}

var names = [...]nameList{
	cultureHispanic: {
		female: []string{"María", "Ana", "Rosa", "Carmen", "Gabriela", "Daniela", "Yesenia", "Karla", "Sofía", "Valeria",
			"Andrea", "Lucía", "Fernanda", "Wendy", "Dayana", "Yuliana", "Marisol", "Elena", "Paola", "Alejandra",
			"Kenia", "Ingrid", "Dania", "Glenda", "Norma", "María José", "Ana Lucía"},
		male: []string{"José", "Juan", "Carlos", "Luis", "Jorge", "Miguel", "Pedro", "Mario", "Óscar", "Kevin",
			"Brayan", "Jonathan", "Wilmer", "Édgar", "Ángel", "Darwin", "Nelson", "Elvin", "Marvin", "Alexander",
			"Andrés", "Yeison", "Daniel", "Francisco", "Ricardo", "José Luis", "Juan Carlos"},
		surnames: []string{"Hernández", "López", "Martínez", "García", "Rodríguez", "Pérez", "González", "Ramírez",
			"Flores", "Cruz", "Mejía", "Reyes", "Castillo", "Morales", "Ortiz", "Chávez", "Vásquez", "Rivera",
			"Aguilar", "Díaz", "Méndez", "Zelaya", "Funes", "Banegas", "Orellana", "Pineda", "Velásquez", "Mendoza",
			"Rojas", "Torres", "Gutiérrez", "Fuentes", "Álvarez", "Sánchez", "Castro", "Muñoz", "Peña", "Ibarra"},
		twoSurnames: true,
	},
	cultureHaitian: {
		female: []string{"Marie", "Rose", "Fabienne", "Nadège", "Guerline", "Mirlande", "Widline", "Roseline", "Esther",
			"Jessica", "Darline", "Manoucheka", "Sherline", "Lovely", "Nathalie", "Marie-Ange"},
		male: []string{"Jean", "Pierre", "Jacques", "Wilson", "Stevenson", "Jeanty", "Frantz", "Ricardo", "Wilner",
			"Jean-Claude", "Emmanuel", "Kervens", "Mackenson", "Woodley", "Dieuveut", "Fritznel", "Junior", "Ronald"},
		surnames: []string{"Joseph", "Jean-Baptiste", "Pierre", "Louis", "Charles", "Saint-Fleur", "Désir", "Augustin",
			"Dorvil", "Célestin", "Jean-Louis", "Étienne", "Fils-Aimé", "Noël", "Paul", "Michel", "Alexis",
			"Toussaint", "Bien-Aimé", "Laguerre"},
	},
	cultureFrancophoneAfrica: {
		female:   []string{"Aminata", "Fatou", "Mariama", "Brigitte", "Aïcha", "Grace", "Clarisse", "Kadiatou"},
		male:     []string{"Mamadou", "Ibrahima", "Ousmane", "Serge", "Boris", "Emmanuel", "Cédric", "Patrick", "Alpha"},
		surnames: []string{"Diallo", "Ndiaye", "Traoré", "Mbarga", "Nkoulou", "Fofana", "Kamara", "Ngono", "Tchoumi", "Diop", "Bah", "Kabila", "Mukendi"},
	},
	cultureLusophone: {
		female:   []string{"Ana", "Joana", "Marta", "Luísa", "Domingas", "Fernanda", "Juliana"},
		male:     []string{"João", "António", "Manuel", "Domingos", "Pedro", "Paulo", "Lucas"},
		surnames: []string{"Silva", "Santos", "Ferreira", "Costa", "Domingos", "Lourenço", "Pereira", "Manuel", "Oliveira"},
	},
	cultureAnglophoneAfrica: {
		female:   []string{"Akosua", "Ama", "Abena", "Efua", "Adwoa"},
		male:     []string{"Kwame", "Kofi", "Kwabena", "Yaw", "Kojo"},
		surnames: []string{"Mensah", "Owusu", "Boateng", "Asante", "Osei", "Appiah"},
	},
}

// mayanSurnames are K'iche', Mam and Q'eqchi' family names of the Guatemalan highlands.
var mayanSurnames = []string{"Tzoc", "Xol", "Coc", "Choc", "Caal", "Tzul", "Ixcoy", "Pu", "Tzunun", "Cux", "Bol", "Cac", "Chim", "Xiloj"}

// mayanLanguages are the Mayan languages most Guatemalans at the southern border speak.
var mayanLanguages = newWeighted(choice[string]{"mam", 40}, choice[string]{"quc", 35}, choice[string]{"kek", 25})

// labelLanguages says in which language of the vocabulary a person of each culture
// usually writes their trade: Haitians in Creole or French, Spanish speakers in Spanish,
// and English for some.
var labelLanguages = [...]weighted[string]{
	cultureHispanic:          newWeighted(choice[string]{"es", 92}, choice[string]{"en", 8}),
	cultureHaitian:           newWeighted(choice[string]{"ht", 55}, choice[string]{"fr", 30}, choice[string]{"es", 15}),
	cultureFrancophoneAfrica: newWeighted(choice[string]{"fr", 80}, choice[string]{"es", 10}, choice[string]{"en", 10}),
	cultureLusophone:         newWeighted(choice[string]{"es", 60}, choice[string]{"en", 40}),
	cultureAnglophoneAfrica:  newWeighted(choice[string]{"en", 80}, choice[string]{"es", 20}),
}

// candidateSectors is the trade people bring: farm work and building above all.
var candidateSectors = newWeighted(
	choice[string]{"agriculture", 20}, choice[string]{"construction", 18}, choice[string]{"manufacturing", 12},
	choice[string]{"hospitality", 8}, choice[string]{"cleaning", 8}, choice[string]{"food_processing", 6},
	choice[string]{"care", 6}, choice[string]{"driving", 6}, choice[string]{"warehousing", 5},
	choice[string]{"retail", 5}, choice[string]{"textiles", 4}, choice[string]{"security", 2}, choice[string]{"other", 2},
)

// candidateEducation and vacancyEducation index models.EducationLevels (none first).
var (
	candidateEducation = newWeighted(
		choice[int]{0, 6}, choice[int]{1, 22}, choice[int]{2, 32}, choice[int]{3, 22}, choice[int]{4, 9}, choice[int]{5, 9},
	)
	vacancyEducation = newWeighted(
		choice[int]{0, 20}, choice[int]{1, 30}, choice[int]{2, 30}, choice[int]{3, 12}, choice[int]{4, 6}, choice[int]{5, 2},
	)
)

// emailDomains are the mail providers people use.
var emailDomains = newWeighted(
	choice[string]{"gmail.com", 60}, choice[string]{"hotmail.com", 25}, choice[string]{"yahoo.com", 10}, choice[string]{"outlook.com", 5},
)
