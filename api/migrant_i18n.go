package api

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/vincula/vincula/migrants"
	"github.com/vincula/vincula/models"
)

// The migrant endpoints (/migrants/*, /me*) speak the person's language: Spanish by
// default, English, French or Haitian Creole by Accept-Language. The rest of the API is
// for staff and employers' systems and stays in English.

// lang is a language the migrant endpoints answer in.
type lang string

const (
	langES lang = "es"
	langEN lang = "en"
	langFR lang = "fr"
	langHT lang = "ht"
)

// languageOf picks the first language of an Accept-Language header (in order of
// preference, q=0 meaning "not this one") that the catalogue has, and Spanish, the
// language of the hubs, when there is none.
func languageOf(header string) lang {
	tags, q, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return langES
	}
	for i, t := range tags {
		if q[i] <= 0 {
			continue
		}
		base, _ := t.Base()
		switch l := lang(base.String()); l {
		case langES, langEN, langFR, langHT:
			return l
		}
	}
	return langES
}

// msgID names one problem the migrant endpoints can answer with.
type msgID string

const (
	msgValidation   msgID = "validation"
	msgMalformed    msgID = "malformed"
	msgTooLarge     msgID = "too-large"
	msgUnauthorized msgID = "unauthorized"
	msgLoginFailed  msgID = "login-failed"
	msgLocked       msgID = "locked"
	msgRateLimited  msgID = "rate-limited"
	msgPhoneTaken   msgID = "phone-taken"
	msgNotFound     msgID = "not-found"
	msgForbidden    msgID = "forbidden"
	msgConflict     msgID = "conflict"
	msgNotEligible  msgID = "not-eligible"
	msgInternal     msgID = "internal"
	msgUnavailable  msgID = "unavailable"
)

// message is a problem's title and detail in one language; the detail may hold one
// %d (minutes, seconds, bytes).
type message struct{ title, detail string }

// catalogue holds every problem of the migrant endpoints in the four languages.
var catalogue = map[msgID]map[lang]message{
	msgValidation: {
		langES: {"Datos no válidos", "Revise los campos indicados y vuelva a intentarlo."},
		langEN: {"Validation failed", "Check the fields listed and try again."},
		langFR: {"Données non valides", "Vérifiez les champs indiqués et réessayez."},
		langHT: {"Done yo pa valab", "Tcheke chan ki make yo epi eseye ankò."},
	},
	msgMalformed: {
		langES: {"Solicitud mal formada", "El cuerpo de la solicitud debe ser un objeto JSON válido."},
		langEN: {"Malformed request", "The request body must be a valid JSON object."},
		langFR: {"Requête mal formée", "Le corps de la requête doit être un objet JSON valide."},
		langHT: {"Demann lan mal fòme", "Kò demann lan dwe yon objè JSON ki valab."},
	},
	msgTooLarge: {
		langES: {"Solicitud demasiado grande", "La solicitud puede tener como máximo %d bytes."},
		langEN: {"Request body too large", "The request body may be at most %d bytes."},
		langFR: {"Requête trop volumineuse", "La requête peut contenir au plus %d octets."},
		langHT: {"Demann lan twò gwo", "Demann lan pa ka depase %d okte."},
	},
	msgUnauthorized: {
		langES: {"No autorizado", "Inicie sesión con su teléfono y su PIN para continuar."},
		langEN: {"Unauthorized", "Log in with your phone number and PIN to continue."},
		langFR: {"Non autorisé", "Connectez-vous avec votre numéro de téléphone et votre code PIN pour continuer."},
		langHT: {"Pa otorize", "Konekte ak nimewo telefòn ou ak PIN ou pou kontinye."},
	},
	msgLoginFailed: {
		langES: {"No autorizado", "El teléfono o el PIN no son correctos."},
		langEN: {"Unauthorized", "The phone number or the PIN is not correct."},
		langFR: {"Non autorisé", "Le numéro de téléphone ou le code PIN est incorrect."},
		langHT: {"Pa otorize", "Nimewo telefòn nan oswa PIN nan pa kòrèk."},
	},
	msgLocked: {
		langES: {"Teléfono bloqueado por un tiempo", "Hubo demasiados intentos fallidos. Vuelva a intentarlo en %d minutos o pida al personal del centro que restablezca su PIN."},
		langEN: {"Phone locked for a while", "Too many failed attempts. Try again in %d minutes, or ask hub staff to reset your PIN."},
		langFR: {"Téléphone bloqué pour un moment", "Trop de tentatives échouées. Réessayez dans %d minutes ou demandez au personnel du centre de réinitialiser votre code PIN."},
		langHT: {"Telefòn nan bloke pou yon ti tan", "Twòp esè ki pa mache. Eseye ankò nan %d minit, oswa mande anplwaye sant lan pou yo chanje PIN ou."},
	},
	msgRateLimited: {
		langES: {"Demasiadas solicitudes", "Espere %d segundos y vuelva a intentarlo."},
		langEN: {"Too many requests", "Wait %d seconds and try again."},
		langFR: {"Trop de requêtes", "Attendez %d secondes et réessayez."},
		langHT: {"Twòp demann", "Tann %d segonn epi eseye ankò."},
	},
	msgPhoneTaken: {
		langES: {"No se puede registrar este teléfono", "Este teléfono no se puede registrar. Si es suyo, inicie sesión o pida al personal del centro que restablezca su PIN."},
		langEN: {"This phone cannot be registered", "This phone cannot be registered. If it is yours, log in or ask hub staff to reset your PIN."},
		langFR: {"Ce téléphone ne peut pas être enregistré", "Ce téléphone ne peut pas être enregistré. S'il est à vous, connectez-vous ou demandez au personnel du centre de réinitialiser votre code PIN."},
		langHT: {"Yo pa ka anrejistre telefòn sa a", "Yo pa ka anrejistre telefòn sa a. Si se pou ou, konekte oswa mande anplwaye sant lan pou yo chanje PIN ou."},
	},
	msgNotFound: {
		langES: {"No encontrado", "No encontramos su perfil; es posible que haya sido borrado."},
		langEN: {"Not found", "Your profile was not found; it may have been erased."},
		langFR: {"Introuvable", "Votre profil est introuvable ; il a peut-être été supprimé."},
		langHT: {"Nou pa jwenn li", "Nou pa jwenn pwofil ou; petèt yo te efase li."},
	},
	msgForbidden: {
		langES: {"Acceso denegado", "Esta parte es solo para personas migrantes que iniciaron sesión con su teléfono."},
		langEN: {"Forbidden", "This part is only for migrants logged in with their phone."},
		langFR: {"Accès refusé", "Cette partie est réservée aux personnes migrantes connectées avec leur téléphone."},
		langHT: {"Aksè refize", "Pati sa a se sèlman pou moun migran ki konekte ak telefòn yo."},
	},
	msgConflict: {
		langES: {"Conflicto", "La solicitud no se puede aplicar al estado actual de su perfil."},
		langEN: {"Conflict", "The request conflicts with the current state of your profile."},
		langFR: {"Conflit", "La requête est en conflit avec l'état actuel de votre profil."},
		langHT: {"Konfli", "Demann lan pa ka aplike sou eta pwofil ou kounye a."},
	},
	msgNotEligible: {
		langES: {"Sin permiso de trabajo aquí", "Sus documentos no le permiten trabajar en ese lugar y fecha."},
		langEN: {"Not legally eligible", "Your documents do not allow you to work at that place and date."},
		langFR: {"Pas d'autorisation de travail ici", "Vos documents ne vous permettent pas de travailler à cet endroit et à cette date."},
		langHT: {"Pa gen otorizasyon travay la", "Dokiman ou yo pa pèmèt ou travay nan kote sa a ak nan dat sa a."},
	},
	msgInternal: {
		langES: {"Error interno", "Algo falló de nuestro lado. Vuelva a intentarlo más tarde."},
		langEN: {"Internal error", "Something went wrong on our side. Try again later."},
		langFR: {"Erreur interne", "Un problème est survenu de notre côté. Réessayez plus tard."},
		langHT: {"Erè entèn", "Yon bagay pa mache bò kote pa nou. Eseye ankò pita."},
	},
	msgUnavailable: {
		langES: {"Servicio no disponible", "El servicio no está disponible en este momento. Vuelva a intentarlo en unos segundos."},
		langEN: {"Service unavailable", "The service is unavailable just now. Try again in a few seconds."},
		langFR: {"Service indisponible", "Le service est indisponible pour le moment. Réessayez dans quelques secondes."},
		langHT: {"Sèvis la pa disponib", "Sèvis la pa disponib kounye a. Eseye ankò nan kèk segond."},
	},
}

// The field messages the migrant endpoints write themselves, in English as every field
// message is written; fieldMessages translates them.
const (
	fieldRequired        = migrants.FieldRequired
	fieldUnknown         = "is not a known field"
	fieldPINRequired     = migrants.FieldPINRequired
	fieldPINDigits       = migrants.FieldPINDigits
	fieldPINRepeated     = migrants.FieldPINRepeated
	fieldPINRun          = migrants.FieldPINRun
	fieldPhoneRequired   = migrants.FieldPhoneRequired
	fieldConsentRequired = migrants.FieldConsentRequired
	fieldState           = "is not a Mexican state code such as MX-NLE"
	fieldDate            = "must be a date written YYYY-MM-DD"
	fieldCursor          = "is not a cursor this server gave out"
	fieldLimit           = "must be a whole number from 1 to 100"
)

// fieldMessages translates the field messages that are sentences of their own, keyed
// by the English. Messages of a failed rule that quote the value at fault are in
// ruleMessages; the few others (a date before another, a language listed twice, the
// details of a wrong CURP) stay in English: the field name and the value still show
// what to fix.
var fieldMessages = map[string]map[lang]string{
	fieldRequired:      {langES: "es obligatorio", langFR: "est obligatoire", langHT: "obligatwa"},
	fieldUnknown:       {langES: "no es un campo conocido", langFR: "n'est pas un champ connu", langHT: "se pa yon chan nou konnen"},
	"must be a string": {langES: "debe ser un texto", langFR: "doit être un texte", langHT: "dwe yon tèks"},
	"must be true or false": {langES: "debe ser true o false", langFR: "doit être true ou false",
		langHT: "dwe true oswa false"},
	"must be a list":    {langES: "debe ser una lista", langFR: "doit être une liste", langHT: "dwe yon lis"},
	"must be an object": {langES: "debe ser un objeto", langFR: "doit être un objet", langHT: "dwe yon objè"},
	"must be a number":  {langES: "debe ser un número", langFR: "doit être un nombre", langHT: "dwe yon nonb"},
	"must be a whole number": {langES: "debe ser un número entero", langFR: "doit être un nombre entier",
		langHT: "dwe yon nonb antye"},
	fieldPINRequired: {langES: "es obligatorio: 6 dígitos o más", langFR: "est obligatoire : 6 chiffres ou plus",
		langHT: "obligatwa: 6 chif oswa plis"},
	fieldPINDigits: {langES: "debe tener de 6 a 12 dígitos, y nada más", langFR: "doit avoir de 6 à 12 chiffres, et rien d'autre",
		langHT: "dwe gen 6 a 12 chif, san lòt bagay"},
	fieldPINRepeated: {langES: "no debe repetir un solo dígito, como 111111", langFR: "ne doit pas répéter un seul chiffre, comme 111111",
		langHT: "pa dwe repete menm chif la, tankou 111111"},
	fieldPINRun: {langES: "no debe ser una serie de dígitos, como 123456 o 654321",
		langFR: "ne doit pas être une suite de chiffres, comme 123456 ou 654321",
		langHT: "pa dwe yon seri chif youn apre lòt, tankou 123456 oswa 654321"},
	fieldPhoneRequired: {langES: "es obligatorio: con este teléfono y su PIN inicia sesión",
		langFR: "est obligatoire : vous vous connectez avec ce numéro et votre code PIN",
		langHT: "obligatwa: se ak nimewo sa a ak PIN ou w ap konekte"},
	fieldConsentRequired: {langES: "es obligatorio: diga si los empleadores pueden ver su perfil, con share_profile true o false",
		langFR: "est obligatoire : dites si les employeurs peuvent voir votre profil, avec share_profile true ou false",
		langHT: "obligatwa: di si patwon yo ka wè pwofil ou, ak share_profile true oswa false"},
	fieldState: {langES: "no es un código de estado de México como MX-NLE", langFR: "n'est pas un code d'État du Mexique comme MX-NLE",
		langHT: "se pa yon kòd eta Meksik tankou MX-NLE"},
	fieldDate: {langES: "debe ser una fecha escrita AAAA-MM-DD", langFR: "doit être une date écrite AAAA-MM-JJ",
		langHT: "dwe yon dat ekri AAAA-MM-JJ"},
	fieldCursor: {langES: "no es un cursor dado por este servidor", langFR: "n'est pas un curseur donné par ce serveur",
		langHT: "se pa yon kurseur sèvè sa a te bay"},
	fieldLimit: {langES: "debe ser un número entero de 1 a 100", langFR: "doit être un nombre entier de 1 à 100",
		langHT: "dwe yon nonb antye ant 1 ak 100"},
}

// migrantProblem is a problem of the migrant endpoints named by catalogue entry.
type migrantProblem struct {
	id     msgID
	status int
	// arg fills the detail's %d, when it has one.
	arg    int
	fields []models.FieldError
	// retryAfter, when set, is sent as the Retry-After header.
	retryAfter time.Duration
}

func (p *migrantProblem) Error() string {
	return fmt.Sprintf("%s (%d)", p.id, p.status)
}

// waitProblem is a 429 (a rate limit or a lockout) that says how long to wait.
func waitProblem(id msgID, wait time.Duration) *migrantProblem {
	p := &migrantProblem{id: id, status: http.StatusTooManyRequests, retryAfter: wait}
	if id == msgLocked {
		p.arg = int(math.Ceil(wait.Minutes()))
	} else {
		p.arg = retrySeconds(wait)
	}
	return p
}

// retrySeconds is a wait in whole seconds, rounded up and at least one.
func retrySeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// migrantError writes err as problem+json in the language the request asks for. Domain
// errors are translated by kind (the details of the catalogue replace the English
// message, the fields keep their names); anything else is logged and answered as an
// internal error.
func (s *Server) migrantError(c *gin.Context, err error) {
	l := languageOf(c.GetHeader("Accept-Language"))
	var p *migrantProblem
	if !errors.As(err, &p) {
		p = s.asMigrantProblem(c, err)
	}
	m := catalogue[p.id][l]
	detail := m.detail
	if p.arg != 0 {
		detail = fmt.Sprintf(detail, p.arg)
	}
	out := problem{Type: problemBase + string(p.id), Title: m.title, Status: p.status, Detail: detail,
		Instance: c.Request.URL.Path, Errors: translateFields(p.fields, l)}
	if e, ok := models.AsError(err); ok {
		out.Reasons = detailStrings(e.Details["reasons"])
	}
	if p.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(retrySeconds(p.retryAfter)))
	}
	if p.status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="vincula"`)
	}
	c.Header("Content-Language", string(l))
	s.sendProblem(c, out)
}

// asMigrantProblem maps a domain error to the catalogue by its kind.
func (s *Server) asMigrantProblem(c *gin.Context, err error) *migrantProblem {
	var fields []models.FieldError
	if e, ok := models.AsError(err); ok {
		fields = e.Fields
	}
	switch {
	case errors.Is(err, models.ErrInvalid):
		return &migrantProblem{id: msgValidation, status: http.StatusUnprocessableEntity, fields: fields}
	case errors.Is(err, models.ErrNotEligible):
		return &migrantProblem{id: msgNotEligible, status: http.StatusUnprocessableEntity}
	case errors.Is(err, models.ErrNotFound):
		return &migrantProblem{id: msgNotFound, status: http.StatusNotFound}
	case errors.Is(err, models.ErrConflict):
		return &migrantProblem{id: msgConflict, status: http.StatusConflict}
	case errors.Is(err, models.ErrForbidden):
		return &migrantProblem{id: msgForbidden, status: http.StatusForbidden}
	case errors.Is(err, models.ErrUnauthorized):
		return &migrantProblem{id: msgUnauthorized, status: http.StatusUnauthorized}
	}
	switch status := outageOf(c, err); status {
	case StatusClientClosed:
		s.logOutage(c, status, err)
		return &migrantProblem{id: msgInternal, status: status}
	case http.StatusServiceUnavailable:
		s.logOutage(c, status, err)
		return &migrantProblem{id: msgUnavailable, status: status, retryAfter: 2 * time.Second}
	}
	s.log.Error("internal error", slog.String("method", methodLabel(c.Request.Method)),
		slog.String("route", c.FullPath()), slog.String("request_id", requestIDOf(c)), slog.Any("err", err))
	return &migrantProblem{id: msgInternal, status: http.StatusInternalServerError}
}

// ruleMessages translates the messages of the models' validation rules (FieldError's
// Rule) that a migrant's profile can fail, keyed by rule. {value} is the value at fault,
// quoted; {list} the allowed values (ruleLists), joined with the language's "or". The
// English is the models' own message.
var ruleMessages = map[string]map[lang]string{
	"mxstate": {
		langES: "{value} no es un estado de México: use un código ISO 3166-2:MX como MX-CHP (Chiapas) o MX-NLE (Nuevo León)",
		langFR: "{value} n'est pas un État du Mexique : utilisez un code ISO 3166-2:MX comme MX-CHP (Chiapas) ou MX-NLE (Nuevo León)",
		langHT: "{value} se pa yon eta Meksik: sèvi ak yon kòd ISO 3166-2:MX tankou MX-CHP (Chiapas) oswa MX-NLE (Nuevo León)",
	},
	"langcode": {
		langES: "{value} no es un código de idioma ISO 639 conocido, como es, en, fr, ht o quc",
		langFR: "{value} n'est pas un code de langue ISO 639 connu, comme es, en, fr, ht ou quc",
		langHT: "{value} se pa yon kòd lang ISO 639 nou konnen, tankou es, en, fr, ht oswa quc",
	},
	"langlevel": {
		langES: "{value} no es un nivel de idioma: use {list}",
		langFR: "{value} n'est pas un niveau de langue : utilisez {list}",
		langHT: "{value} se pa yon nivo lang: sèvi ak {list}",
	},
	"country": {
		langES: "{value} no es un código de país ISO 3166-1, como GT, HN, HT o VE",
		langFR: "{value} n'est pas un code de pays ISO 3166-1, comme GT, HN, HT ou VE",
		langHT: "{value} se pa yon kòd peyi ISO 3166-1, tankou GT, HN, HT oswa VE",
	},
	"nationality": {
		langES: "{value} no es un código de país ISO 3166-1, como GT, HN, HT o VE, ni XX para una persona apátrida o cuya nacionalidad no está establecida",
		langFR: "{value} n'est pas un code de pays ISO 3166-1, comme GT, HN, HT ou VE, ni XX pour une personne apatride ou dont la nationalité n'est pas établie",
		langHT: "{value} se pa yon kòd peyi ISO 3166-1, tankou GT, HN, HT oswa VE, ni XX pou yon moun ki san nasyonalite oswa ki poko gen nasyonalite l etabli",
	},
	"phone": {
		langES: "debe tener de 10 a 15 dígitos, con un + delante si quiere, como +529621234567",
		langFR: "doit avoir de 10 à 15 chiffres, avec un + devant si vous voulez, comme +529621234567",
		langHT: "dwe gen 10 a 15 chif, ak yon + devan si ou vle, tankou +529621234567",
	},
	"gender": {
		langES: "{value} no es F, M ni X; déjelo vacío si prefiere no decirlo",
		langFR: "{value} n'est ni F, ni M, ni X ; laissez-le vide si vous préférez ne pas le dire",
		langHT: "{value} se pa F, M oswa X; kite l vid si ou pa vle di l",
	},
	"doctype": {
		langES: "{value} no es un tipo de documento: use {list}",
		langFR: "{value} n'est pas un type de document : utilisez {list}",
		langHT: "{value} se pa yon kalite dokiman: sèvi ak {list}",
	},
	"edulevel": {
		langES: "{value} no es un nivel de estudios: use {list}",
		langFR: "{value} n'est pas un niveau d'études : utilisez {list}",
		langHT: "{value} se pa yon nivo etid: sèvi ak {list}",
	},
	"isco": {
		langES: "{value} no es un código de ocupación CIUO-08 (de 1 a 4 dígitos, como 7212)",
		langFR: "{value} n'est pas un code de profession CITP-08 (1 à 4 chiffres, comme 7212)",
		langHT: "{value} se pa yon kòd metye ISCO-08 (1 a 4 chif, tankou 7212)",
	},
}

// ruleLists are the allowed values that ruleMessages list.
var ruleLists = map[string]func() []string{
	"langlevel": func() []string { return models.LanguageLevels },
	"doctype":   func() []string { return stringsOf(models.DocumentTypes) },
	"edulevel":  func() []string { return models.EducationLevels },
}

func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// orWord is "or" in each language.
var orWord = map[lang]string{langES: "o", langEN: "or", langFR: "ou", langHT: "oswa"}

// joinOr lists vs as "a, b or c" in language l.
func joinOr(vs []string, l lang) string {
	if len(vs) < 2 {
		return strings.Join(vs, "")
	}
	return strings.Join(vs[:len(vs)-1], ", ") + " " + orWord[l] + " " + vs[len(vs)-1]
}

// translateField says f's problem in language l when it can: a failed rule with its
// value, or a sentence of its own; otherwise as it is.
func translateField(f models.FieldError, l lang) string {
	if t, ok := ruleMessages[f.Rule][l]; ok {
		var list string
		if of, ok := ruleLists[f.Rule]; ok {
			list = joinOr(of(), l)
		}
		return strings.NewReplacer("{value}", strconv.Quote(f.Value), "{list}", list).Replace(t)
	}
	if t, ok := fieldMessages[f.Message][l]; ok {
		return t
	}
	return f.Message
}

func translateFields(fields []models.FieldError, l lang) []models.FieldError {
	if len(fields) == 0 {
		return nil
	}
	out := make([]models.FieldError, len(fields))
	for i, f := range fields {
		out[i] = f
		out[i].Message = translateField(f, l)
	}
	return out
}
