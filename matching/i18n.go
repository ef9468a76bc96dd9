package matching

import (
	"fmt"
	"slices"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Decisions are written in English, the reference that staff and employers' systems
// read, or in the language of the person they are about: Spanish, French or Haitian
// Creole (Query.Lang). The texts of the rules file carry their translations beside
// them (next steps and the age section); the sentences the code writes are in the
// catalogue below, keyed by their English format as golang.org/x/text/message expects.

// Languages lists the languages a decision can be written in; English is the first.
var Languages = []string{"en", "es", "fr", "ht"}

// translatedLanguages are the languages every text needs a translation into.
var translatedLanguages = Languages[1:]

// codeTexts are the sentences the code writes, by their English format, with their
// Spanish, French and Haitian Creole translations in that order.
var codeTexts = map[string][3]string{
	"document of type %q": {"documento de tipo %q", "document de type %q", "papye kalite %q"},
	"not a document type the rules know, so it is not a basis for work": {
		"no es un tipo de documento que las reglas conozcan, así que no permite trabajar",
		"ce n'est pas un type de document que les règles connaissent, il ne permet donc pas de travailler",
		"se pa yon kalite papye règ yo konnen, kidonk li pa pèmèt travay"},
	"does not allow paid work": {"no permite trabajar con pago", "ne permet pas de travail rémunéré", "li pa pèmèt travay pou lajan"},
	"no INM work permit on it (work_permission is false)": {
		"no tiene permiso de trabajo del INM (work_permission es falso)",
		"il ne porte pas de permis de travail de l'INM (work_permission est faux)",
		"li pa gen pèmi travay INM (work_permission se fo)"},
	"the candidate has no CURP on file, and this document allows work only with one": {
		"la persona no tiene CURP registrada, y este documento solo permite trabajar con una",
		"la personne n'a pas de CURP enregistré, et ce document ne permet de travailler qu'avec un CURP",
		"moun nan pa gen CURP anrejistre, e papye sa a pèmèt travay sèlman ak youn"},
	"the employer named on the permit is not on file (employer_id is empty)": {
		"no está registrado el empleador que aparece en el permiso (employer_id está vacío)",
		"l'employeur nommé sur le permis n'est pas enregistré (employer_id est vide)",
		"patwon ki ekri sou pèmi a pa anrejistre (employer_id vid)"},
	"the state where the claim was filed is not on file": {
		"no está registrado el estado donde se presentó la solicitud",
		"l'État où la demande a été déposée n'est pas enregistré",
		"eta kote yo te fè demand lan pa anrejistre"},
	"the filing state on file, %q, is not a state code": {
		"el estado de la solicitud registrado, %q, no es un código de estado",
		"l'État de dépôt enregistré, %q, n'est pas un code d'État",
		"eta demand lan ki anrejistre a, %q, se pa yon kòd eta"},
	"no issue date (issued_on) on file, which this document needs": {
		"no tiene fecha de expedición (issued_on) registrada, y este documento la necesita",
		"aucune date de délivrance (issued_on) n'est enregistrée, alors que ce document en a besoin",
		"pa gen dat yo bay papye a (issued_on) anrejistre, e papye sa a bezwen li"},
	"no expiry date (expires_on) on file, which this document needs": {
		"no tiene fecha de vencimiento (expires_on) registrada, y este documento la necesita",
		"aucune date d'expiration (expires_on) n'est enregistrée, alors que ce document en a besoin",
		"pa gen dat ekspirasyon (expires_on) anrejistre, e papye sa a bezwen li"},
	"issued on %s, after the date asked (%s)": {
		"expedido el %s, después de la fecha consultada (%s)",
		"délivré le %s, après la date demandée (%s)",
		"yo bay li %s, apre dat yo mande a (%s)"},
	"valid at most %d days from its issue on %s, that is until %s (not %s as entered), before the date asked (%s)": {
		"vale como máximo %d días desde su expedición el %s, es decir hasta el %s (no el %s como se anotó), antes de la fecha consultada (%s)",
		"valable au plus %d jours à partir de sa délivrance le %s, donc jusqu'au %s (et non le %s comme saisi), avant la date demandée (%s)",
		"li bon pou %d jou pou pi plis depi yo bay li %s, sa vle di jis %s (pa %s jan yo te ekri a), anvan dat yo mande a (%s)"},
	"expired on %s, before the date asked (%s)": {
		"venció el %s, antes de la fecha consultada (%s)",
		"expiré le %s, avant la date demandée (%s)",
		"li ekspire %s, anvan dat yo mande a (%s)"},
	"allows work only in %s, the state where the claim was filed, not in %s": {
		"solo permite trabajar en %s, el estado donde se presentó la solicitud, no en %s",
		"ne permet de travailler qu'à %s, l'État où la demande a été déposée, pas à %s",
		"li pèmèt travay sèlman nan %s, eta kote yo te fè demand lan, pa nan %s"},
	"allows work only in %s, not in %s": {
		"solo permite trabajar en %s, no en %s",
		"ne permet de travailler qu'à %s, pas à %s",
		"li pèmèt travay sèlman nan %s, pa nan %s"},
	"the permit is only valid for vacancies of employer %s": {
		"el permiso solo vale para vacantes del empleador %s",
		"le permis n'est valable que pour les offres de l'employeur %s",
		"pèmi a bon sèlman pou travay patwon %s"},
	"the permit is only valid for vacancies of employer %s, not of employer %s": {
		"el permiso solo vale para vacantes del empleador %s, no del empleador %s",
		"le permis n'est valable que pour les offres de l'employeur %s, pas de l'employeur %s",
		"pèmi a bon sèlman pou travay patwon %s, pa patwon %s"},
	"no date given: eligibility is decided for a day": {
		"no se dio una fecha: la decisión se toma para un día",
		"aucune date donnée : la décision porte sur un jour",
		"pa gen dat: desizyon an pran pou yon jou"},
	"no state given: eligibility is decided for one state": {
		"no se dio un estado: la decisión se toma para un estado",
		"aucun État donné : la décision porte sur un État",
		"pa gen eta: desizyon an pran pou yon eta"},
	"%q is not a Mexican state code (ISO 3166-2:MX, such as MX-NLE)": {
		"%q no es un código de estado de México (ISO 3166-2:MX, como MX-NLE)",
		"%q n'est pas un code d'État mexicain (ISO 3166-2:MX, comme MX-NLE)",
		"%q se pa yon kòd eta Meksik (ISO 3166-2:MX, tankou MX-NLE)"},
	"no immigration document on file": {
		"no hay ningún documento migratorio registrado",
		"aucun document migratoire n'est enregistré",
		"pa gen okenn papye imigrasyon anrejistre"},
	"any state": {"cualquier estado", "n'importe quel État", "nenpòt eta"},
	"no state":  {"ningún estado", "aucun État", "okenn eta"},
	"%s and %s": {"%s y %s", "%s et %s", "%s ak %s"},
	"%s: %s":    {"%s: %s", "%s : %s", "%s: %s"},
}

// printers holds one printer per translated language, built once.
var printers = sync.OnceValue(func() map[string]*message.Printer {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for key, tr := range codeTexts {
		for i, l := range translatedLanguages {
			if err := b.SetString(language.Make(l), key, tr[i]); err != nil {
				panic(fmt.Sprintf("matching: catalogue entry %q: %v", key, err))
			}
		}
	}
	out := map[string]*message.Printer{}
	for _, l := range translatedLanguages {
		out[l] = message.NewPrinter(language.Make(l), message.Catalog(b))
	}
	return out
})

// tr writes a sentence of the code in lang; English (or an unknown language) is
// formatted as fmt does, so the reference path pays nothing for the catalogue.
func tr(lang, format string, args ...any) string {
	if lang == "" || lang == "en" {
		return fmt.Sprintf(format, args...)
	}
	p, ok := printers()[lang]
	if !ok {
		return fmt.Sprintf(format, args...)
	}
	return p.Sprintf(format, args...)
}

// validLang reports whether a decision can be written in lang.
func validLang(lang string) bool { return slices.Contains(Languages, lang) }

// texts is one text of the rules file with its translations (English under "en").
type texts map[string]string

// in returns the text in lang, or in English when it has no translation.
func (t texts) in(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["en"]
}
