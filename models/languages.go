package models

import "strings"

// LanguageLevels lists the accepted language levels, weakest first: the CEFR levels A1
// to C2, then "native" for a mother tongue, which many migrants have in a language no
// CEFR test exists for (K'iche', Mam, Haitian Creole).
var LanguageLevels = []string{"A1", "A2", "B1", "B2", "C1", "C2", "native"}

// ValidLanguageLevel reports whether level is one of LanguageLevels, exactly as written
// there (callers normalise case).
func ValidLanguageLevel(level string) bool {
	return LanguageLevelRank(level) > 0
}

// LanguageLevelRank orders language levels for ranking and routing (for example to find
// a candidate's strongest language other than Spanish): 1 for A1 up to 6 for C2 and 7 for
// native, and 0 for anything else, so an unknown level never outranks a known one.
func LanguageLevelRank(level string) int {
	for i, l := range LanguageLevels {
		if l == level {
			return i + 1
		}
	}
	return 0
}

// ValidLanguageCode reports whether code is a lower-case language code Vincula accepts:
// any ISO 639-1 two-letter code; the three-letter ISO 639-2 code (terminology or
// bibliographic form) of a language that has a two-letter code; or one of a curated list
// of ISO 639-3 codes for languages that migrants in Mexico speak and that have no
// two-letter code, first of all the indigenous languages of Mexico and Guatemala. The
// three-letter list is curated rather than all 7,000 ISO 639-3 codes so that a typo is
// caught instead of landing on an unrelated language. CanonicalLanguageCode turns the
// three-letter form of a language with a two-letter code into the two-letter one.
func ValidLanguageCode(code string) bool {
	return iso6391[code] || iso6392To1[code] != "" || regionalLanguages[code]
}

// CanonicalLanguageCode returns the one code Vincula stores for a language, so that
// "spa", "SPA", "es-MX" and "es" all compare equal when candidates, vacancies and
// counsellors are matched: it trims spaces, lower-cases, drops a region or script subtag
// and, as BCP 47 does, prefers the two-letter code where one exists. Codes it does not
// know are returned trimmed and lower-cased, for ValidLanguageCode to reject.
func CanonicalLanguageCode(code string) string {
	c := strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(c, "-_"); i > 0 {
		c = c[:i]
	}
	if two := iso6392To1[c]; two != "" {
		return two
	}
	return c
}

// iso6391 holds every ISO 639-1 code.
var iso6391 = wordSet(
	"aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce",
	"ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr",
	"fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is",
	"it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln",
	"lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv",
	"ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk",
	"sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw",
	"ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu",
)

// iso6392To1 maps the ISO 639-2 code of each language that has an ISO 639-1 code to
// that code. Both ISO 639-2 forms are here: the terminology form (also the ISO 639-3
// code) and, where it differs, the bibliographic form that library and some government
// systems still use ("fre", "ger", "chi").
var iso6392To1 = map[string]string{
	// Terminology forms.
	"aar": "aa", "abk": "ab", "afr": "af", "aka": "ak", "amh": "am", "ara": "ar", "arg": "an", "asm": "as",
	"ava": "av", "ave": "ae", "aym": "ay", "aze": "az", "bak": "ba", "bam": "bm", "bel": "be", "ben": "bn",
	"bih": "bh", "bis": "bi", "bod": "bo", "bos": "bs", "bre": "br", "bul": "bg", "cat": "ca", "ces": "cs",
	"cha": "ch", "che": "ce", "chu": "cu", "chv": "cv", "cor": "kw", "cos": "co", "cre": "cr", "cym": "cy",
	"dan": "da", "deu": "de", "div": "dv", "dzo": "dz", "ell": "el", "eng": "en", "epo": "eo", "est": "et",
	"eus": "eu", "ewe": "ee", "fao": "fo", "fas": "fa", "fij": "fj", "fin": "fi", "fra": "fr", "fry": "fy",
	"ful": "ff", "gla": "gd", "gle": "ga", "glg": "gl", "glv": "gv", "grn": "gn", "guj": "gu", "hat": "ht",
	"hau": "ha", "heb": "he", "her": "hz", "hin": "hi", "hmo": "ho", "hrv": "hr", "hun": "hu", "hye": "hy",
	"ibo": "ig", "ido": "io", "iii": "ii", "iku": "iu", "ile": "ie", "ina": "ia", "ind": "id", "ipk": "ik",
	"isl": "is", "ita": "it", "jav": "jv", "jpn": "ja", "kal": "kl", "kan": "kn", "kas": "ks", "kat": "ka",
	"kau": "kr", "kaz": "kk", "khm": "km", "kik": "ki", "kin": "rw", "kir": "ky", "kom": "kv", "kon": "kg",
	"kor": "ko", "kua": "kj", "kur": "ku", "lao": "lo", "lat": "la", "lav": "lv", "lim": "li", "lin": "ln",
	"lit": "lt", "ltz": "lb", "lub": "lu", "lug": "lg", "mah": "mh", "mal": "ml", "mar": "mr", "mkd": "mk",
	"mlg": "mg", "mlt": "mt", "mon": "mn", "mri": "mi", "msa": "ms", "mya": "my", "nau": "na", "nav": "nv",
	"nbl": "nr", "nde": "nd", "ndo": "ng", "nep": "ne", "nld": "nl", "nno": "nn", "nob": "nb", "nor": "no",
	"nya": "ny", "oci": "oc", "oji": "oj", "ori": "or", "orm": "om", "oss": "os", "pan": "pa", "pli": "pi",
	"pol": "pl", "por": "pt", "pus": "ps", "que": "qu", "roh": "rm", "ron": "ro", "run": "rn", "rus": "ru",
	"sag": "sg", "san": "sa", "sin": "si", "slk": "sk", "slv": "sl", "sme": "se", "smo": "sm", "sna": "sn",
	"snd": "sd", "som": "so", "sot": "st", "spa": "es", "sqi": "sq", "srd": "sc", "srp": "sr", "ssw": "ss",
	"sun": "su", "swa": "sw", "swe": "sv", "tah": "ty", "tam": "ta", "tat": "tt", "tel": "te", "tgk": "tg",
	"tgl": "tl", "tha": "th", "tir": "ti", "ton": "to", "tsn": "tn", "tso": "ts", "tuk": "tk", "tur": "tr",
	"twi": "tw", "uig": "ug", "ukr": "uk", "urd": "ur", "uzb": "uz", "ven": "ve", "vie": "vi", "vol": "vo",
	"wln": "wa", "wol": "wo", "xho": "xh", "yid": "yi", "yor": "yo", "zha": "za", "zho": "zh", "zul": "zu",
	// Bibliographic forms.
	"alb": "sq", "arm": "hy", "baq": "eu", "bur": "my", "chi": "zh", "cze": "cs", "dut": "nl", "fre": "fr",
	"geo": "ka", "ger": "de", "gre": "el", "ice": "is", "mac": "mk", "mao": "mi", "may": "ms", "per": "fa",
	"rum": "ro", "slo": "sk", "tib": "bo", "wel": "cy",
}

// regionalLanguages holds the ISO 639-3 (and a few ISO 639-2 collective) codes of
// languages with no two-letter code that migrants and the people who serve them in
// Mexico speak. Where a language is really a family of varieties (Nahuatl, Zapotec,
// Mixtec) the collective or macrolanguage code is here with the largest varieties, so
// both a hub that only knows "Nahuatl" and one that knows the variety can record it.
var regionalLanguages = wordSet(
	// Nahuatl: the collective code, then Huasteca (eastern, western, central), Guerrero,
	// Highland Puebla, Zacatlán, Central, Central Puebla, Isthmus, Tetelcingo, Orizaba.
	"nah nhe nhw nch ngu azz nhi nhn ncx nhx nhg nlv",
	// Yucatec Maya and Lacandón.
	"yua lac",
	// Zapotec: the macrolanguage, then Isthmus, Mitla, Zoogocho, Amatlán, Mixtepec, Rincón.
	"zap zai zaw zpq zpo zpm zar",
	// Mixtec: Mixtepec, Jamiltepec, Alacatlatzala, Coatzospan, Tezoatlán, San Miguel el
	// Grande, Yosondúa, Western Juxtlahuaca.
	"mix mxt mim miz mxb mig mpm jmx",
	// Otomian: the collective code, Mezquital and Querétaro Otomí, Central Mazahua,
	// Matlatzinca and Atzingo Matlatzinca (Tlahuica), Northern and Central Pame.
	"oto ote otq maz mat ocu pmq pbs",
	// Mayan languages of Chiapas and the Gulf: Tzotzil, Tzeltal, Chol, Tojolabal, Tabasco
	// Chontal, Huastec.
	"tzo tzh ctu toj chf hus",
	// Totonac (Papantla, Highland, Filomena Mata) and Huehuetla Tepehua.
	"top tos tlp tee",
	// Mazatec (Huautla, Jalapa de Díaz, Chiquihuitlán) and Chinantec (Ojitlán, Quiotepec,
	// Ozumacín, Sochiapam, Lalana, Usila, Comaltepec).
	"mau maj maq chj chq chz cso cnl cuc cco",
	// Mixe (Coatlán, Isthmus, Tlahuitoltepec, North Central, Juquila), Zoque (Chimalapa,
	// Francisco León, Copainalá) and Popoluca (Highland, Sayula).
	"mco mir mxp neq mxq zoh zos zoc poi pos",
	// Purépecha (and Western Highland Purépecha).
	"tsz pua",
	// Languages of Guerrero and Oaxaca: Me'phaa (Tlapanec), Amuzgo (Guerrero, San Pedro
	// Amuzgos), Triqui (Copala, Chicahuaxtla), Oaxaca Chontal (Highland, Lowland), Huave,
	// Chatino (Western Highland, Nopala, Tataltepec), Cuicatec (Tepeuxila, Teutila),
	// Ixcatec, Chocholtec, Popoloca (San Marcos Tlacoyalco, Temalacayuca).
	"tcf amu azg trc trs chd clo huv ctp cya cta cux cut ixc coz pls pps",
	// Northern Mexico: Mayo, Yaqui, Tarahumara (Central, Lowland, Northern), Huarijío,
	// Pima Bajo, Seri, Kickapoo, Tepehuán (Southeastern, Southwestern, Northern), Huichol,
	// Cora, and the Yuman languages of Baja California (Kumiai, Paipai, Kiliwa, Cucapá).
	"mfy yaq tar tac thh var pia sei kic stp tla ntp hch crn dih ppi klb coc",
	// Mayan languages of Guatemala and its Mexican border: the collective code, K'iche',
	// Mam, Q'eqchi', Kaqchikel, Tz'utujil, Ixil, Poqomchi', Poqomam, Achi, Q'anjob'al,
	// Popti' (Jakaltek), Chuj, Akatek, Awakatek, Tektitek, Uspantek, Sakapultek,
	// Sipakapense, Ch'orti', Itzá, Mopán; and Xinka.
	"myn quc mam kek cak tzj ixl poh poc acr kjb jac cac knj agu ttc usp quv qum caa itz mop xin",
	// Central America and the Caribbean: Garifuna, Miskito, Pech, Tol, Mayangna, Nicaragua
	// and Belize Creole English, Pipil (Nawat), Jamaican Creole, Guadeloupean and Saint
	// Lucian Creole French, Papiamento; Wayuu and Warao (Venezuela); Cusco and South
	// Bolivian Quechua, Central Aymara.
	"cab miq pay jic yan bzk bzj ppl jam gcf acf pap guc wba quz quh ayr",
	// Languages of migrants from farther away: Mandarin, Cantonese, Dari, Southern
	// Pashto, Krio, Soninke, Mandinka, Susu, Pular, Cape Verdean Creole.
	"cmn yue prs pbt kri snk mnk sus fuf kea",
	// Sign languages: the collective code, Mexican, American, Guatemalan, Honduran,
	// Salvadoran and Nicaraguan Sign Language.
	"sgn mfs ase gsm hds esn ncs",
)

// wordSet turns space-separated words into a set; long code lists read best as text.
func wordSet(lines ...string) map[string]bool {
	m := make(map[string]bool)
	for _, l := range lines {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}
