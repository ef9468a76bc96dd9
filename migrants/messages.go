package migrants

import (
	"fmt"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The migrants' pages speak to people who may have gone to school for a few years
// only, in Spanish, English, French or Haitian Creole. Every word they read comes from
// this one catalogue (built with golang.org/x/text/message): short sentences, everyday
// words, and every office or legal name explained beside it (INM, COMAR, CURP, SNE).
// The decisions' own reasons and next steps (matching, written for staff) appear only
// where the catalogue has no plainer words for a situation.

// Languages are the languages of the migrants' pages, Spanish (the hubs' language)
// first.
var Languages = []string{"es", "en", "fr", "ht"}

// texts holds each message by key, in es, en, fr and ht (the order of Languages).
// Formats use %s and %d, the same ones in the same order in every language.
var texts = map[string][4]string{
	// Layout and menu.
	"skip":          {"Saltar al contenido", "Skip to content", "Aller au contenu", "Ale nan kontni an"},
	"nav.label":     {"Menú", "Menu", "Menu", "Meni"},
	"nav.home":      {"Inicio", "Home", "Accueil", "Akèy"},
	"nav.work":      {"¿Dónde puedo trabajar?", "Where may I work?", "Où puis-je travailler ?", "Ki kote m ka travay?"},
	"nav.vacancies": {"Vacantes para mí", "Jobs for me", "Offres d'emploi pour moi", "Travay pou mwen"},
	"nav.referrals": {"Mis canalizaciones", "My referrals", "Mes orientations", "Kote yo voye m"},
	"nav.profile":   {"Mi perfil", "My profile", "Mon profil", "Pwofil mwen"},
	"nav.data":      {"Mis datos", "My data", "Mes données", "Done mwen yo"},
	"nav.signout":   {"Salir", "Sign out", "Me déconnecter", "Dekonekte"},
	"lang.choose":   {"Idioma", "Language", "Langue", "Lang"},
	"foot.help": {"¿Necesita ayuda? Vaya a un punto de información (módulo) o hable con el personal del SNE, el Servicio Nacional de Empleo.",
		"Need help? Go to an information hub or talk to the staff of the SNE, Mexico's National Employment Service.",
		"Besoin d'aide ? Allez à un point d'information ou parlez au personnel du SNE, le Service national de l'emploi du Mexique.",
		"Ou bezwen èd? Ale nan yon pwen enfòmasyon oswa pale ak anplwaye SNE a, Sèvis Nasyonal Travay Meksik la."},
	"free": {"Es gratis. No pague a nadie para conseguir un empleo.", "It is free. Do not pay anyone to get a job.",
		"C'est gratuit. Ne payez personne pour obtenir un emploi.", "Li gratis. Pa peye pèsonn pou jwenn yon travay."},

	// First page.
	"start.title": {"Trabajo en México", "Work in Mexico", "Travailler au Mexique", "Travay nan Meksik"},
	"start.intro": {"Aquí ve dónde le dejan trabajar sus documentos y qué vacantes son para usted.",
		"Here you see where your documents let you work and which jobs are for you.",
		"Ici, vous voyez où vos documents vous permettent de travailler et quelles offres sont pour vous.",
		"Isit la ou wè ki kote papye ou yo pèmèt ou travay ak ki travay ki pou ou."},
	"start.choose":   {"Elija su idioma:", "Choose your language:", "Choisissez votre langue :", "Chwazi lang ou:"},
	"start.register": {"Registrarme", "Sign up", "M'inscrire", "Enskri"},
	"start.signin":   {"Ya tengo cuenta: entrar", "I have an account: sign in", "J'ai un compte : me connecter", "Mwen gen yon kont: konekte"},

	// Register.
	"reg.title": {"Registrarme", "Sign up", "Inscription", "Enskripsyon"},
	"reg.intro": {"Llene sus datos. Lo que tiene * es obligatorio.", "Fill in your details. Items with * must be filled in.",
		"Remplissez vos données. Ce qui a * est obligatoire.", "Ranpli enfòmasyon ou yo. Sa ki gen * obligatwa."},
	"reg.name":  {"Su nombre completo *", "Your full name *", "Votre nom complet *", "Non konplè ou *"},
	"reg.phone": {"Su número de teléfono *", "Your phone number *", "Votre numéro de téléphone *", "Nimewo telefòn ou *"},
	"reg.phone_hint": {"Con este número va a entrar. Ejemplo: +52 962 123 4567", "You will sign in with this number. Example: +52 962 123 4567",
		"Vous vous connecterez avec ce numéro. Exemple : +52 962 123 4567", "Se ak nimewo sa a w ap konekte. Egzanp: +52 962 123 4567"},
	"reg.pin": {"Su PIN: una clave de números *", "Your PIN: a secret number *", "Votre code PIN : un code secret en chiffres *", "PIN ou: yon kòd sekrè ak chif *"},
	"reg.pin_hint": {"De 6 a 12 números. No use 123456 ni 111111. No se lo diga a nadie.",
		"6 to 12 digits. Do not use 123456 or 111111. Do not tell it to anyone.",
		"De 6 à 12 chiffres. N'utilisez pas 123456 ni 111111. Ne le dites à personne.",
		"6 a 12 chif. Pa sèvi ak 123456 oswa 111111. Pa di pèsonn li."},
	"reg.birth":       {"Fecha de nacimiento *", "Date of birth *", "Date de naissance *", "Dat nesans ou *"},
	"reg.nationality": {"Su país *", "Your country *", "Votre pays *", "Peyi ou *"},
	"reg.state":       {"Estado de México donde está ahora *", "Mexican state where you are now *", "État du Mexique où vous êtes maintenant *", "Eta nan Meksik kote ou ye kounye a *"},
	"reg.education":   {"Hasta dónde estudió *", "How far you went in school *", "Jusqu'où vous avez étudié *", "Ki nivo lekòl ou rive *"},
	"reg.choose":      {"Elija", "Choose", "Choisissez", "Chwazi"},
	"reg.doc":         {"Su documento migratorio", "Your immigration document", "Votre document migratoire", "Papye imigrasyon ou"},
	"reg.doc_hint": {"Es el papel que le dio el INM (la oficina de migración de México) o la COMAR (la oficina que ve las solicitudes de refugio).",
		"It is the paper you got from the INM (Mexico's migration office) or from COMAR (the office for refugee claims).",
		"C'est le papier que vous a donné l'INM (le bureau des migrations du Mexique) ou la COMAR (le bureau des demandes d'asile).",
		"Se papye INM (biwo imigrasyon Meksik) oswa COMAR (biwo ki okipe demann refij) te ba ou a."},
	"reg.doc_type":    {"Qué documento tiene", "Which document you have", "Quel document vous avez", "Ki papye ou genyen"},
	"reg.doc_none":    {"Todavía no tengo documento", "I have no document yet", "Je n'ai pas encore de document", "Mwen poko gen papye"},
	"reg.doc_number":  {"Número del documento", "Document number", "Numéro du document", "Nimewo papye a"},
	"reg.doc_issued":  {"Fecha en que se lo dieron", "Date you got it", "Date où vous l'avez reçu", "Dat yo ba ou li"},
	"reg.doc_expires": {"Válido hasta", "Valid until", "Valable jusqu'au", "Bon jiska"},
	"reg.doc_work":    {"Mi tarjeta dice que puedo trabajar", "My card says I may work", "Ma carte dit que je peux travailler", "Kat mwen an di mwen ka travay"},
	"reg.doc_later": {"Si no lo tiene a la mano, el personal de un punto de información lo puede agregar después.",
		"If you do not have it with you, staff at an information hub can add it later.",
		"Si vous ne l'avez pas sur vous, le personnel d'un point d'information peut l'ajouter plus tard.",
		"Si ou pa genyen l sou ou, anplwaye yon pwen enfòmasyon ka ajoute l pita."},
	"reg.consent": {"¿Pueden los empleadores ver su perfil? *", "May employers see your profile? *", "Les employeurs peuvent-ils voir votre profil ? *", "Èske patwon yo ka wè pwofil ou? *"},
	"reg.consent_text": {"Si dice que sí, los empleadores que buscan trabajadores verán lo que usted sabe hacer y su experiencia. No verán su nombre, su teléfono ni sus documentos. Su nombre y su teléfono los verán solo cuando usted tenga una entrevista con ellos. Puede cambiar de opinión cuando quiera, en «Mis datos».",
		"If you say yes, employers looking for workers will see what you can do and your experience. They will not see your name, your phone or your documents. They see your name and phone only when you have an interview with them. You can change your mind at any time, in «My data».",
		"Si vous dites oui, les employeurs qui cherchent des travailleurs verront ce que vous savez faire et votre expérience. Ils ne verront ni votre nom, ni votre téléphone, ni vos documents. Ils verront votre nom et votre téléphone seulement quand vous aurez un entretien avec eux. Vous pouvez changer d'avis quand vous voulez, dans « Mes données ».",
		"Si ou di wi, patwon k ap chèche travayè yo ap wè sa ou konn fè ak eksperyans ou. Yo p ap wè non ou, telefòn ou ni papye ou yo. Yo ap wè non ou ak telefòn ou sèlman lè ou gen yon entèvyou avèk yo. Ou ka chanje lide kilè ou vle, nan «Done mwen yo»."},
	"reg.consent_yes": {"Sí, pueden verlo", "Yes, they may see it", "Oui, ils peuvent le voir", "Wi, yo ka wè l"},
	"reg.consent_no":  {"No, todavía no", "No, not now", "Non, pas maintenant", "Non, pa kounye a"},
	"reg.keep": {"Guardamos sus datos solo para ayudarle a encontrar trabajo. Puede verlos, bajarlos o borrarlos en «Mis datos».",
		"We keep your data only to help you find work. You can see it, download it or erase it in «My data».",
		"Nous gardons vos données seulement pour vous aider à trouver un travail. Vous pouvez les voir, les télécharger ou les effacer dans « Mes données ».",
		"Nou kenbe done ou yo sèlman pou ede ou jwenn travay. Ou ka wè yo, telechaje yo oswa efase yo nan «Done mwen yo»."},
	"reg.submit": {"Crear mi cuenta", "Create my account", "Créer mon compte", "Kreye kont mwen"},

	// Sign in and out.
	"in.title":  {"Entrar", "Sign in", "Connexion", "Konekte"},
	"in.phone":  {"Su número de teléfono", "Your phone number", "Votre numéro de téléphone", "Nimewo telefòn ou"},
	"in.pin":    {"Su PIN", "Your PIN", "Votre code PIN", "PIN ou"},
	"in.submit": {"Entrar", "Sign in", "Me connecter", "Konekte"},
	"in.forgot": {"¿Olvidó su PIN? Vaya a un punto de información con su documento. El personal revisa quién es usted y le ayuda a poner un PIN nuevo.",
		"Forgot your PIN? Go to an information hub with your document. Staff check who you are and help you set a new PIN.",
		"Vous avez oublié votre code PIN ? Allez à un point d'information avec votre document. Le personnel vérifie qui vous êtes et vous aide à choisir un nouveau code.",
		"Ou bliye PIN ou? Ale nan yon pwen enfòmasyon ak papye ou. Anplwaye yo tcheke kiyès ou ye epi ede ou mete yon nouvo PIN."},
	"in.no_account": {"¿No tiene cuenta? Registrarme", "No account? Sign up", "Pas de compte ? M'inscrire", "Ou pa gen kont? Enskri"},
	"out.done":      {"Usted salió. Hasta pronto.", "You have signed out. See you soon.", "Vous êtes déconnecté. À bientôt.", "Ou dekonekte. N a wè pita."},

	// Home.
	"home.title":   {"Inicio", "Home", "Accueil", "Akèy"},
	"home.hello":   {"Hola, %s", "Hello, %s", "Bonjour, %s", "Bonjou, %s"},
	"home.what":    {"¿Qué quiere ver?", "What do you want to see?", "Que voulez-vous voir ?", "Kisa ou vle wè?"},
	"home.welcome": {"Listo: su cuenta está creada.", "Done: your account is ready.", "C'est fait : votre compte est créé.", "Fini: kont ou kreye."},

	// Where may I work.
	"work.yes":        {"Sí, usted puede trabajar en %s.", "Yes, you may work in %s.", "Oui, vous pouvez travailler à %s.", "Wi, ou ka travay nan %s."},
	"work.no":         {"Por ahora usted no puede trabajar en %s.", "For now you may not work in %s.", "Pour l'instant, vous ne pouvez pas travailler à %s.", "Pou kounye a ou pa ka travay nan %s."},
	"work.everywhere": {"Puede trabajar en todo México.", "You may work anywhere in Mexico.", "Vous pouvez travailler partout au Mexique.", "Ou ka travay tout kote nan Meksik."},
	"work.states":     {"Puede trabajar en estos estados: %s.", "You may work in these states: %s.", "Vous pouvez travailler dans ces États : %s.", "Ou ka travay nan eta sa yo: %s."},
	"work.nowhere": {"Hoy sus documentos no le dejan trabajar en ningún estado de México.", "Today your documents do not let you work in any Mexican state.",
		"Aujourd'hui, vos documents ne vous permettent de travailler dans aucun État du Mexique.", "Jodi a papye ou yo pa pèmèt ou travay nan okenn eta nan Meksik."},
	"work.until":   {"Hasta el %s.", "Until %s.", "Jusqu'au %s.", "Jiska %s."},
	"work.no_end":  {"Su documento no tiene fecha de fin.", "Your document has no end date.", "Votre document n'a pas de date de fin.", "Papye ou a pa gen dat li fini."},
	"work.basis":   {"Con este documento: %s", "With this document: %s", "Avec ce document : %s", "Ak papye sa a: %s"},
	"work.why_not": {"¿Por qué no?", "Why not?", "Pourquoi pas ?", "Poukisa non?"},
	"work.next":    {"Qué puede hacer", "What you can do", "Ce que vous pouvez faire", "Sa ou ka fè"},
	"work.expiring": {"Atención: su documento vence pronto. Pida la renovación a tiempo en un punto de información.",
		"Careful: your document ends soon. Ask for a renewal in time at an information hub.",
		"Attention : votre document expire bientôt. Demandez son renouvellement à temps dans un point d'information.",
		"Atansyon: papye ou a pral fini byento. Mande pou yo renouvle l atan nan yon pwen enfòmasyon."},
	"work.places":  {"Los lugares donde está o a donde iría", "The places where you are or would move to", "Les lieux où vous êtes ou où vous iriez", "Kote ou ye oswa kote ou ta ale"},
	"work.details": {"Lo que dicen las reglas", "What the rules say", "Ce que disent les règles", "Sa règ yo di"},
	"work.words":   {"Palabras que ayudan", "Words that help", "Des mots pour vous aider", "Mo ki ka ede ou"},
	"gloss.inm": {"INM: Instituto Nacional de Migración, la oficina de migración de México. Da las tarjetas y los permisos.",
		"INM: the National Migration Institute, Mexico's migration office. It gives the cards and permits.",
		"INM : l'Institut national des migrations, le bureau des migrations du Mexique. Il donne les cartes et les permis.",
		"INM: Enstiti Nasyonal Imigrasyon, biwo imigrasyon Meksik la. Se li ki bay kat ak pèmi yo."},
	"gloss.comar": {"COMAR: Comisión Mexicana de Ayuda a Refugiados, la oficina que ve las solicitudes de refugio.",
		"COMAR: the Mexican Commission for Refugee Aid, the office that handles refugee claims.",
		"COMAR : la Commission mexicaine d'aide aux réfugiés, le bureau qui traite les demandes d'asile.",
		"COMAR: Komisyon Meksiken pou Ede Refijye, biwo ki okipe demann refij yo."},
	"gloss.curp": {"CURP: un código de 18 letras y números que México da a cada persona. Se pide para trabajar.",
		"CURP: a code of 18 letters and digits that Mexico gives each person. Employers ask for it.",
		"CURP : un code de 18 lettres et chiffres que le Mexique donne à chaque personne. On le demande pour travailler.",
		"CURP: yon kòd 18 lèt ak chif Meksik bay chak moun. Yo mande l pou travay."},

	// Why not, and what to do, by situation.
	"why.no_document": {"No tenemos ningún documento migratorio suyo.", "We have no immigration document of yours.",
		"Nous n'avons aucun document migratoire à votre nom.", "Nou pa gen okenn papye imigrasyon pou ou."},
	"step.no_document": {"Lleve su tarjeta, constancia o permiso a un punto de información. El personal lo registra.",
		"Take your card, certificate or permit to an information hub. Staff will register it.",
		"Apportez votre carte, attestation ou permis à un point d'information. Le personnel l'enregistrera.",
		"Pote kat ou, konstansya ou oswa pèmi ou nan yon pwen enfòmasyon. Anplwaye yo ap anrejistre l."},
	"why.expired": {"Su documento ya venció.", "Your document has ended (expired).", "Votre document a expiré.", "Papye ou a fini (li ekspire)."},
	"step.expired": {"Pida la renovación al INM o a la COMAR. En un punto de información le dicen cómo.",
		"Ask the INM or COMAR to renew it. An information hub can tell you how.",
		"Demandez son renouvellement à l'INM ou à la COMAR. Un point d'information peut vous dire comment faire.",
		"Mande INM oswa COMAR renouvle l. Yon pwen enfòmasyon ka di ou kijan pou fè l."},
	"why.not_yet_issued": {"La fecha en que le dieron el documento es después de hoy.", "The date you got the document is after today.",
		"La date où vous avez reçu le document est après aujourd'hui.", "Dat yo ba ou papye a vin apre jodi a."},
	"step.not_yet_issued": {"Muestre el documento en un punto de información para corregir la fecha.", "Show the document at an information hub to fix the date.",
		"Montrez le document dans un point d'information pour corriger la date.", "Montre papye a nan yon pwen enfòmasyon pou yo korije dat la."},
	"why.missing_expires_on": {"Nos falta la fecha hasta la que vale su documento.", "We do not have the date until which your document is valid.",
		"Il nous manque la date jusqu'à laquelle votre document est valable.", "Nou pa gen dat papye ou a bon jiska."},
	"step.missing_expires_on": {"Muestre el documento en un punto de información para anotar la fecha.", "Show the document at an information hub so staff can add the date.",
		"Montrez le document dans un point d'information pour ajouter la date.", "Montre papye a nan yon pwen enfòmasyon pou yo ajoute dat la."},
	"why.missing_issued_on": {"Nos falta la fecha en que le dieron su permiso.", "We do not have the date you got your permit.",
		"Il nous manque la date où vous avez reçu votre permis.", "Nou pa gen dat yo ba ou pèmi ou a."},
	"step.missing_issued_on": {"Muestre el permiso en un punto de información para anotar la fecha.", "Show the permit at an information hub so staff can add the date.",
		"Montrez le permis dans un point d'information pour ajouter la date.", "Montre pèmi a nan yon pwen enfòmasyon pou yo ajoute dat la."},
	"why.missing_work_permission": {"Su tarjeta de residente temporal no dice que puede trabajar.", "Your temporary resident card does not say you may work.",
		"Votre carte de résident temporaire ne dit pas que vous pouvez travailler.", "Kat rezidan tanporè ou a pa di ou ka travay."},
	"step.missing_work_permission": {"Un empleador registrado ante el INM puede pedir para usted un permiso para trabajar.",
		"An employer registered with the INM can ask for a work permit for you.",
		"Un employeur inscrit auprès de l'INM peut demander un permis de travail pour vous.",
		"Yon patwon ki anrejistre nan INM ka mande yon pèmi travay pou ou."},
	"why.missing_curp": {"Con la constancia de la COMAR necesita una CURP para trabajar, y no tenemos la suya.",
		"With a COMAR certificate you need a CURP to work, and we do not have yours.",
		"Avec une attestation de la COMAR, il faut un CURP pour travailler, et nous n'avons pas le vôtre.",
		"Ak konstansya COMAR a ou bezwen yon CURP pou travay, e nou pa genyen pa ou a."},
	"step.missing_curp": {"Pida su CURP en la COMAR o en un punto de información, y luego muéstrela al personal.",
		"Ask for your CURP at COMAR or at an information hub, then show it to staff.",
		"Demandez votre CURP à la COMAR ou dans un point d'information, puis montrez-le au personnel.",
		"Mande CURP ou nan COMAR oswa nan yon pwen enfòmasyon, epi montre anplwaye yo li."},
	"why.missing_filing_state": {"No sabemos en qué estado presentó su solicitud de refugio.", "We do not know in which state you made your refugee claim.",
		"Nous ne savons pas dans quel État vous avez déposé votre demande d'asile.", "Nou pa konnen nan ki eta ou te fè demann refij ou a."},
	"step.missing_filing_state": {"Muestre su constancia de la COMAR en un punto de información.", "Show your COMAR certificate at an information hub.",
		"Montrez votre attestation de la COMAR dans un point d'information.", "Montre konstansya COMAR ou a nan yon pwen enfòmasyon."},
	"why.missing_named_employer": {"Su permiso es para un solo empleador, y no sabemos cuál.", "Your permit is for one employer only, and we do not know which one.",
		"Votre permis est pour un seul employeur, et nous ne savons pas lequel.", "Pèmi ou a se pou yon sèl patwon, e nou pa konnen kilès."},
	"step.missing_named_employer": {"Muestre el permiso en un punto de información para anotar el empleador.", "Show the permit at an information hub so staff can add the employer.",
		"Montrez le permis dans un point d'information pour ajouter l'employeur.", "Montre pèmi a nan yon pwen enfòmasyon pou yo ajoute patwon an."},
	"why.outside_states": {"Su documento le deja trabajar solo en algunos estados, y este no es uno de ellos.",
		"Your document lets you work only in some states, and this is not one of them.",
		"Votre document vous permet de travailler seulement dans certains États, et celui-ci n'en fait pas partie.",
		"Papye ou a pèmèt ou travay sèlman nan kèk eta, e eta sa a pa ladan yo."},
	"step.outside_states": {"Busque trabajo en los estados donde sí puede trabajar, o pregunte en un punto de información por otro documento.",
		"Look for work in the states where you may work, or ask at an information hub about another document.",
		"Cherchez du travail dans les États où vous pouvez travailler, ou renseignez-vous sur un autre document dans un point d'information.",
		"Chèche travay nan eta kote ou ka travay yo, oswa mande nan yon pwen enfòmasyon pou yon lòt papye."},
	"why.other_employer": {"Su permiso vale solo con el empleador que aparece en él.", "Your permit is valid only with the employer named on it.",
		"Votre permis n'est valable qu'avec l'employeur qui y est nommé.", "Pèmi ou a bon sèlman ak patwon ki ekri sou li a."},
	"step.other_employer": {"Para otro empleador necesita otro permiso del INM. Pregunte en un punto de información.",
		"For another employer you need another permit from the INM. Ask at an information hub.",
		"Pour un autre employeur, il vous faut un autre permis de l'INM. Renseignez-vous dans un point d'information.",
		"Pou yon lòt patwon ou bezwen yon lòt pèmi INM. Mande nan yon pwen enfòmasyon."},
	"why.not_allowed": {"Este documento no le deja trabajar con pago.", "This document does not let you work for pay.",
		"Ce document ne vous permet pas de travailler contre un salaire.", "Papye sa a pa pèmèt ou travay pou lajan."},
	"step.not_allowed": {"Pregunte en un punto de información por la tarjeta de visitante por razones humanitarias o por la de trabajador fronterizo.",
		"Ask at an information hub about the humanitarian visitor card or the border worker card.",
		"Renseignez-vous dans un point d'information sur la carte de visiteur pour raisons humanitaires ou sur celle de travailleur frontalier.",
		"Mande nan yon pwen enfòmasyon pou kat vizitè pou rezon imanitè a oswa kat travayè fwontalye a."},
	"why.unverified": {"El personal todavía no revisó el original de su documento.", "Staff have not yet checked the original of your document.",
		"Le personnel n'a pas encore vérifié l'original de votre document.", "Anplwaye yo poko tcheke orijinal papye ou a."},
	"step.unverified": {"Lleve el original a un punto de información. Sin esa revisión no le pueden enviar a un empleador.",
		"Take the original to an information hub. Without that check you cannot be sent to an employer.",
		"Apportez l'original à un point d'information. Sans cette vérification, on ne peut pas vous envoyer chez un employeur.",
		"Pote orijinal la nan yon pwen enfòmasyon. San tchèk sa a yo pa ka voye ou bay yon patwon."},
	"why.other": {"Hay un problema con sus datos o sus documentos.", "There is a problem with your details or your documents.",
		"Il y a un problème avec vos données ou vos documents.", "Gen yon pwoblèm ak enfòmasyon ou oswa papye ou yo."},
	"step.other": {"Vaya a un punto de información: el personal revisa su caso con usted.", "Go to an information hub: staff will look at your case with you.",
		"Allez à un point d'information : le personnel examinera votre situation avec vous.", "Ale nan yon pwen enfòmasyon: anplwaye yo ap gade ka ou avè ou."},

	// The age rules (the Mexican Constitution and the Federal Labour Law: no work before
	// 15; from 15 to 17 only with school or a permit, a guardian's consent at 15, and
	// never dangerous work, night work, bars or long hours).
	"why.under_working_age": {"En México nadie puede trabajar antes de cumplir 15 años.", "In Mexico no one may work before turning 15.",
		"Au Mexique, personne ne peut travailler avant 15 ans.", "Nan Meksik, pèsonn pa ka travay anvan li gen 15 an."},
	"step.under_working_age": {"El personal del punto de información les ayuda a usted y a su familia a recibir apoyo (el DIF es la oficina que protege a niñas, niños y adolescentes). Podrá buscar trabajo cuando cumpla 15 años.",
		"Staff at the information hub will help you and your family get support (the DIF is the office that protects children). You can look for work when you turn 15.",
		"Le personnel du point d'information vous aide, vous et votre famille, à recevoir de l'aide (le DIF est le bureau qui protège les enfants). Vous pourrez chercher du travail à 15 ans.",
		"Anplwaye pwen enfòmasyon an ap ede ou menm ak fanmi ou jwenn sipò (DIF se biwo ki pwoteje timoun yo). Ou ka chèche travay lè ou gen 15 an."},
	"why.minor_schooling": {"Antes de los 18 años, para trabajar necesita haber terminado la secundaria o tener un permiso de la oficina del trabajo.",
		"Before 18, to work you need to have finished secondary school or to have a permit from the labour office.",
		"Avant 18 ans, pour travailler il faut avoir fini l'école secondaire ou avoir un permis du bureau du travail.",
		"Anvan 18 an, pou travay ou bezwen fini lekòl segondè oswa gen yon pèmi biwo travay la."},
	"step.minor_schooling": {"Pregunte en el punto de información cómo pedir ese permiso o cómo terminar la secundaria.",
		"Ask at the information hub how to get that permit or how to finish secondary school.",
		"Demandez au point d'information comment obtenir ce permis ou comment finir l'école secondaire.",
		"Mande nan pwen enfòmasyon an kijan pou jwenn pèmi sa a oswa kijan pou fini lekòl segondè."},
	"why.minor_guardian": {"A los 15 años necesita el permiso por escrito de su madre, padre o tutor para trabajar.",
		"At 15 you need written permission from your mother, father or guardian to work.",
		"À 15 ans, il faut l'autorisation écrite de votre mère, de votre père ou de votre tuteur pour travailler.",
		"A 15 an, ou bezwen pèmisyon ekri manman ou, papa ou oswa responsab ou pou travay."},
	"step.minor_guardian": {"Vaya con su madre, padre o tutor al punto de información para registrar ese permiso.",
		"Go with your mother, father or guardian to the information hub to register that permission.",
		"Allez avec votre mère, votre père ou votre tuteur au point d'information pour enregistrer cette autorisation.",
		"Ale ak manman ou, papa ou oswa responsab ou nan pwen enfòmasyon an pou anrejistre pèmisyon sa a."},
	"why.minor_work_conditions": {"Antes de los 18 años la ley no permite este trabajo: es peligroso, es de noche, se sirve alcohol o tiene demasiadas horas.",
		"Before 18 the law does not allow this job: it is dangerous, at night, serves alcohol or has too many hours.",
		"Avant 18 ans, la loi n'autorise pas ce travail : il est dangereux, de nuit, on y sert de l'alcool ou il a trop d'heures.",
		"Anvan 18 an, lalwa pa pèmèt travay sa a: li danjere, se lannwit, yo sèvi alkòl oswa li gen twòp èdtan."},
	"step.minor_work_conditions": {"Busque otro trabajo de la lista, o pregunte en el punto de información qué trabajos sí puede hacer.",
		"Look for another job on the list, or ask at the information hub which jobs you may do.",
		"Cherchez un autre travail dans la liste, ou demandez au point d'information quels travaux vous pouvez faire.",
		"Chèche yon lòt travay nan lis la, oswa mande nan pwen enfòmasyon an ki travay ou ka fè."},

	// Documents, each with what it means.
	"doc.residente_permanente": {"Tarjeta de residente permanente", "Permanent resident card", "Carte de résident permanent", "Kat rezidan pèmanan"},
	"docx.residente_permanente": {"Puede vivir y trabajar en todo México, sin fecha de fin. También es la tarjeta de las personas reconocidas como refugiadas.",
		"You may live and work anywhere in Mexico, with no end date. It is also the card of people recognised as refugees.",
		"Vous pouvez vivre et travailler partout au Mexique, sans date de fin. C'est aussi la carte des personnes reconnues réfugiées.",
		"Ou ka viv epi travay tout kote nan Meksik, san dat li fini. Se kat moun yo rekonèt kòm refijye tou."},
	"doc.residente_temporal": {"Tarjeta de residente temporal", "Temporary resident card", "Carte de résident temporaire", "Kat rezidan tanporè"},
	"docx.residente_temporal": {"Puede vivir en México. Para trabajar, la tarjeta debe decir que tiene permiso para trabajar.",
		"You may live in Mexico. To work, the card must say you have permission to work.",
		"Vous pouvez vivre au Mexique. Pour travailler, la carte doit dire que vous avez la permission de travailler.",
		"Ou ka viv nan Meksik. Pou travay, kat la dwe di ou gen pèmisyon pou travay."},
	"doc.visitante_razones_humanitarias": {"Tarjeta de visitante por razones humanitarias (TVRH)", "Humanitarian visitor card (TVRH)",
		"Carte de visiteur pour raisons humanitaires (TVRH)", "Kat vizitè pou rezon imanitè (TVRH)"},
	"docx.visitante_razones_humanitarias": {"Puede trabajar en todo México hasta la fecha que dice la tarjeta.", "You may work anywhere in Mexico until the date on the card.",
		"Vous pouvez travailler partout au Mexique jusqu'à la date indiquée sur la carte.", "Ou ka travay tout kote nan Meksik jiska dat ki sou kat la."},
	"doc.visitante_trabajador_fronterizo": {"Tarjeta de visitante trabajador fronterizo (TVTF)", "Border worker visitor card (TVTF)",
		"Carte de visiteur travailleur frontalier (TVTF)", "Kat vizitè travayè fwontalye (TVTF)"},
	"docx.visitante_trabajador_fronterizo": {"Puede trabajar solo en Chiapas, Campeche, Tabasco y Quintana Roo, hasta la fecha de la tarjeta.",
		"You may work only in Chiapas, Campeche, Tabasco and Quintana Roo, until the date on the card.",
		"Vous pouvez travailler seulement au Chiapas, au Campeche, au Tabasco et au Quintana Roo, jusqu'à la date de la carte.",
		"Ou ka travay sèlman nan Chiapas, Campeche, Tabasco ak Quintana Roo, jiska dat ki sou kat la."},
	"doc.visitante_actividades_remuneradas": {"Permiso de visitante para trabajar con pago", "Visitor permit to work for pay",
		"Permis de visiteur pour travailler contre un salaire", "Pèmi vizitè pou travay pou lajan"},
	"docx.visitante_actividades_remuneradas": {"Puede trabajar solo con el empleador que aparece en el permiso, hasta 180 días.",
		"You may work only for the employer named on the permit, for up to 180 days.",
		"Vous pouvez travailler seulement pour l'employeur nommé sur le permis, pendant 180 jours au plus.",
		"Ou ka travay sèlman pou patwon ki ekri sou pèmi a, pou 180 jou pou pi plis."},
	"doc.visitante_regional": {"Tarjeta de visitante regional (TVR)", "Regional visitor card (TVR)", "Carte de visiteur régional (TVR)", "Kat vizitè rejyonal (TVR)"},
	"docx.visitante_regional": {"Puede visitar los estados del sur, pero no trabajar con pago.", "You may visit the southern states, but not work for pay.",
		"Vous pouvez visiter les États du sud, mais pas travailler contre un salaire.", "Ou ka vizite eta nan sid yo, men ou pa ka travay pou lajan."},
	"doc.constancia_comar": {"Constancia de la COMAR (solicitud de refugio)", "COMAR certificate (refugee claim)", "Attestation de la COMAR (demande d'asile)", "Konstansya COMAR (demann refij)"},
	"docx.constancia_comar": {"Mientras avanza su solicitud, puede trabajar en el estado donde la presentó, si tiene CURP.",
		"While your claim goes on, you may work in the state where you made it, if you have a CURP.",
		"Pendant que votre demande avance, vous pouvez travailler dans l'État où vous l'avez déposée, si vous avez un CURP.",
		"Pandan demann ou an ap avanse, ou ka travay nan eta kote ou te fè l la, si ou gen yon CURP."},
	"doc.otro":    {"Otro documento", "Another document", "Un autre document", "Yon lòt papye"},
	"docx.otro":   {"Este documento no le deja trabajar.", "This document does not let you work.", "Ce document ne vous permet pas de travailler.", "Papye sa a pa pèmèt ou travay."},
	"doc.checked": {"Revisado por el personal", "Checked by staff", "Vérifié par le personnel", "Anplwaye yo tcheke l"},
	"doc.unchecked": {"Todavía no revisado: lleve el original a un punto de información", "Not yet checked: take the original to an information hub",
		"Pas encore vérifié : apportez l'original à un point d'information", "Poko tcheke: pote orijinal la nan yon pwen enfòmasyon"},
	"doc.until": {"Válido hasta el %s", "Valid until %s", "Valable jusqu'au %s", "Bon jiska %s"},

	// School.
	"edu.none":            {"No fui a la escuela", "I did not go to school", "Je ne suis pas allé à l'école", "Mwen pa t al lekòl"},
	"edu.primary":         {"Primaria", "Primary school", "École primaire", "Lekòl primè"},
	"edu.secondary":       {"Secundaria", "Lower secondary school", "Collège", "Premye sik segondè"},
	"edu.upper_secondary": {"Preparatoria o bachillerato", "High school", "Lycée", "Filo (lekòl segondè)"},
	"edu.technical":       {"Escuela técnica", "Technical school", "École technique", "Lekòl teknik"},
	"edu.university":      {"Universidad", "University", "Université", "Inivèsite"},

	// Countries.
	"country.GT": {"Guatemala", "Guatemala", "Guatemala", "Gwatemala"},
	"country.HN": {"Honduras", "Honduras", "Honduras", "Ondiras"},
	"country.SV": {"El Salvador", "El Salvador", "Salvador", "Salvadò"},
	"country.NI": {"Nicaragua", "Nicaragua", "Nicaragua", "Nikaragwa"},
	"country.HT": {"Haití", "Haiti", "Haïti", "Ayiti"},
	"country.VE": {"Venezuela", "Venezuela", "Venezuela", "Venezyela"},
	"country.CU": {"Cuba", "Cuba", "Cuba", "Kiba"},
	"country.CO": {"Colombia", "Colombia", "Colombie", "Kolonbi"},
	"country.EC": {"Ecuador", "Ecuador", "Équateur", "Ekwatè"},
	"country.XX": {"Otro país, o sin nacionalidad", "Another country, or no nationality", "Un autre pays, ou sans nationalité", "Yon lòt peyi, oswa san nasyonalite"},

	// Languages and levels.
	"lang.es":    {"Español", "Spanish", "Espagnol", "Panyòl"},
	"lang.en":    {"Inglés", "English", "Anglais", "Angle"},
	"lang.fr":    {"Francés", "French", "Français", "Fransè"},
	"lang.ht":    {"Criollo haitiano", "Haitian Creole", "Créole haïtien", "Kreyòl ayisyen"},
	"lang.pt":    {"Portugués", "Portuguese", "Portugais", "Pòtigè"},
	"lvl.none":   {"No lo hablo", "I do not speak it", "Je ne la parle pas", "Mwen pa pale l"},
	"lvl.A2":     {"Un poco", "A little", "Un peu", "Yon ti kras"},
	"lvl.B2":     {"Bien", "Well", "Bien", "Byen"},
	"lvl.C1":     {"Muy bien", "Very well", "Très bien", "Trè byen"},
	"lvl.native": {"Es mi lengua materna", "It is my mother tongue", "C'est ma langue maternelle", "Se lang manman m"},

	// Vacancies.
	"vac.intro": {"Estas vacantes están en lugares donde usted puede trabajar. Las que mejor le quedan van primero.",
		"These jobs are in places where you may work. The ones that fit you best come first.",
		"Ces offres sont dans des lieux où vous pouvez travailler. Celles qui vous conviennent le mieux sont en premier.",
		"Travay sa yo nan kote ou ka travay. Sa ki pi bon pou ou yo vini an premye."},
	"vac.none": {"Por ahora no hay vacantes para usted. Vuelva pronto, o complete su perfil.", "There are no jobs for you just now. Come back soon, or fill in your profile.",
		"Il n'y a pas d'offre pour vous pour l'instant. Revenez bientôt, ou complétez votre profil.", "Pou kounye a pa gen travay pou ou. Tounen byento, oswa ranpli pwofil ou."},
	"vac.fit":        {"Qué tan bien le queda: %d de 100", "How well it fits you: %d out of 100", "À quel point elle vous convient : %d sur 100", "Jan li bon pou ou: %d sou 100"},
	"vac.why":        {"Por qué le queda:", "Why it fits you:", "Pourquoi elle vous convient :", "Poukisa li bon pou ou:"},
	"vac.where":      {"Lugar: %s", "Place: %s", "Lieu : %s", "Kote: %s"},
	"vac.starts":     {"Empieza el %s", "Starts on %s", "Commence le %s", "Kòmanse %s"},
	"vac.salary":     {"Sueldo: de %d a %d pesos al mes", "Pay: %d to %d pesos a month", "Salaire : de %d à %d pesos par mois", "Salè: %d a %d peso pa mwa"},
	"vac.positions":  {"Puestos: %d", "Openings: %d", "Postes : %d", "Plas: %d"},
	"vac.relocation": {"Ayudan con la mudanza", "They help you move", "Aide au déménagement", "Yo ede w demenaje"},
	"vac.ask": {"Para pedir una vacante, hable con el personal de un punto de información o con un consejero del SNE.",
		"To ask for a job, talk to staff at an information hub or to an SNE counsellor.",
		"Pour demander une offre, parlez au personnel d'un point d'information ou à un conseiller du SNE.",
		"Pou mande yon travay, pale ak anplwaye yon pwen enfòmasyon oswa ak yon konseye SNE."},
	"part.skills":       {"Usted sabe hacer lo que piden.", "You can do what they ask for.", "Vous savez faire ce qu'ils demandent.", "Ou konn fè sa yo mande a."},
	"part.occupation":   {"Es el tipo de trabajo que usted busca o que ya hizo.", "It is the kind of work you want or have done.", "C'est le genre de travail que vous cherchez ou que vous avez déjà fait.", "Se kalite travay ou chèche oswa ou te deja fè."},
	"part.experience":   {"Tiene la experiencia que piden.", "You have the experience they ask for.", "Vous avez l'expérience demandée.", "Ou gen eksperyans yo mande a."},
	"part.languages":    {"Habla los idiomas que piden.", "You speak the languages they ask for.", "Vous parlez les langues demandées.", "Ou pale lang yo mande yo."},
	"part.location":     {"Está cerca de usted, o en un estado a donde usted iría.", "It is near you, or in a state you would move to.", "C'est près de chez vous, ou dans un État où vous iriez.", "Li pre ou, oswa nan yon eta kote ou ta ale."},
	"part.availability": {"Usted puede empezar a tiempo.", "You can start in time.", "Vous pouvez commencer à temps.", "Ou ka kòmanse atan."},
	"part.text":         {"Su perfil se parece a lo que dice la vacante.", "Your profile is close to what the job says.", "Votre profil ressemble à ce que dit l'offre.", "Pwofil ou sanble ak sa travay la di."},

	// Referrals.
	"refs.intro": {"Una canalización es cuando un consejero del SNE le envía a una vacante. Aquí ve cómo va cada una.",
		"A referral is when an SNE counsellor sends you to a job. Here you see where each one stands.",
		"Une orientation, c'est quand un conseiller du SNE vous envoie vers une offre. Ici, vous voyez où en est chacune.",
		"Lè yon konseye SNE voye ou pou yon travay, se sa nou rele «voye». Isit la ou wè kote chak ye."},
	"refs.none":              {"Todavía no tiene canalizaciones.", "You have no referrals yet.", "Vous n'avez pas encore d'orientation.", "Yo poko voye ou okenn kote."},
	"refs.stage":             {"Cómo va: %s", "Where it stands: %s", "Où elle en est : %s", "Kote li ye: %s"},
	"refs.employer":          {"Empleador: %s", "Employer: %s", "Employeur : %s", "Patwon: %s"},
	"refs.since":             {"Desde el %s", "Since %s", "Depuis le %s", "Depi %s"},
	"refs.gone":              {"Esta vacante ya no está publicada.", "This job is no longer posted.", "Cette offre n'est plus publiée.", "Travay sa a pa afiche ankò."},
	"stage.pending":          {"Recibida: un consejero la va a revisar", "Received: a counsellor will look at it", "Reçue : un conseiller va l'examiner", "Resevwa: yon konseye pral gade l"},
	"stage.contacted":        {"El consejero ya habló con usted", "The counsellor has talked to you", "Le conseiller vous a parlé", "Konseye a te deja pale avè ou"},
	"stage.sent_to_employer": {"Enviada al empleador", "Sent to the employer", "Envoyée à l'employeur", "Yo voye l bay patwon an"},
	"stage.interviewing":     {"Entrevista con el empleador", "Interview with the employer", "Entretien avec l'employeur", "Entèvyou ak patwon an"},
	"stage.hired":            {"¡Le contrataron!", "You were hired!", "Vous êtes embauché !", "Yo anboche ou!"},
	"stage.not_hired":        {"Esta vez no le contrataron", "You were not hired this time", "Vous n'avez pas été embauché cette fois", "Fwa sa a yo pa t anboche ou"},
	"stage.withdrawn":        {"Cancelada", "Cancelled", "Annulée", "Anile"},

	// Profile.
	"prof.me":         {"Mis datos de contacto", "My contact details", "Mes coordonnées", "Enfòmasyon kontak mwen"},
	"prof.name":       {"Nombre: %s", "Name: %s", "Nom : %s", "Non: %s"},
	"prof.phone":      {"Teléfono: %s", "Phone: %s", "Téléphone : %s", "Telefòn: %s"},
	"prof.skills":     {"Lo que sé hacer (uno por línea)", "What I can do (one per line)", "Ce que je sais faire (un par ligne)", "Sa m konn fè (youn pa liy)"},
	"prof.languages":  {"Idiomas que hablo", "Languages I speak", "Langues que je parle", "Lang mwen pale"},
	"prof.experience": {"Trabajos que he hecho", "Work I have done", "Travail que j'ai fait", "Travay mwen te fè"},
	"prof.job":        {"Trabajo %d", "Job %d", "Emploi %d", "Travay %d"},
	"prof.years":      {"Años en ese trabajo", "Years in that job", "Années dans cet emploi", "Konbyen ane nan travay sa a"},
	"prof.education":  {"Hasta dónde estudié", "How far I went in school", "Jusqu'où j'ai étudié", "Ki nivo lekòl mwen rive"},
	"prof.available":  {"Desde qué día puedo empezar", "From which day I can start", "À partir de quel jour je peux commencer", "Depi ki jou mwen ka kòmanse"},
	"prof.move":       {"A dónde me mudaría", "Where I would move", "Où je déménagerais", "Kote mwen ta demenaje"},
	"prof.relocate":   {"Sí, me mudaría a otro estado por trabajo", "Yes, I would move to another state for work", "Oui, je déménagerais dans un autre État pour travailler", "Wi, mwen ta demenaje nan yon lòt eta pou travay"},
	"prof.states":     {"Estados a donde me mudaría", "States I would move to", "États où je déménagerais", "Eta kote mwen ta demenaje"},
	"prof.save":       {"Guardar mis cambios", "Save my changes", "Enregistrer mes changements", "Anrejistre chanjman mwen yo"},
	"prof.saved":      {"Listo: guardamos sus cambios.", "Done: your changes are saved.", "C'est fait : vos changements sont enregistrés.", "Fini: nou anrejistre chanjman ou yo."},
	"prof.docs":       {"Mis documentos", "My documents", "Mes documents", "Papye mwen yo"},
	"prof.no_docs":    {"No tiene documentos registrados.", "You have no documents on file.", "Vous n'avez aucun document enregistré.", "Ou pa gen okenn papye anrejistre."},
	"prof.docs_change": {"Para agregar o cambiar un documento, llévelo a un punto de información.", "To add or change a document, take it to an information hub.",
		"Pour ajouter ou changer un document, apportez-le à un point d'information.", "Pou ajoute oswa chanje yon papye, pote l nan yon pwen enfòmasyon."},

	// My data.
	"data.consent": {"¿Pueden los empleadores ver mi perfil?", "May employers see my profile?", "Les employeurs peuvent-ils voir mon profil ?", "Èske patwon yo ka wè pwofil mwen?"},
	"data.consent_yes": {"Ahora sí: los empleadores pueden ver lo que usted sabe hacer (no su nombre, su teléfono ni sus documentos).",
		"Yes, for now: employers can see what you can do (not your name, phone or documents).",
		"Oui, pour l'instant : les employeurs peuvent voir ce que vous savez faire (pas votre nom, ni votre téléphone, ni vos documents).",
		"Wi, pou kounye a: patwon yo ka wè sa ou konn fè (pa non ou, telefòn ou ni papye ou yo)."},
	"data.consent_no": {"Ahora no: los empleadores no ven su perfil y no le pueden elegir.", "No, for now: employers do not see your profile and cannot choose you.",
		"Non, pour l'instant : les employeurs ne voient pas votre profil et ne peuvent pas vous choisir.", "Non, pou kounye a: patwon yo pa wè pwofil ou e yo pa ka chwazi ou."},
	"data.give":           {"Sí, que lo vean", "Yes, let them see it", "Oui, qu'ils le voient", "Wi, kite yo wè l"},
	"data.withdraw":       {"No, que ya no lo vean", "No, stop showing it", "Non, qu'ils ne le voient plus", "Non, pa kite yo wè l ankò"},
	"data.changed":        {"Listo: guardamos su decisión.", "Done: your choice is saved.", "C'est fait : votre choix est enregistré.", "Fini: nou anrejistre chwa ou."},
	"data.download_title": {"Bajar mis datos", "Download my data", "Télécharger mes données", "Telechaje done mwen yo"},
	"data.download_text": {"Le damos un archivo con todo lo que guardamos de usted y quién lo ha visto.", "You get a file with everything we keep about you and who has looked at it.",
		"Vous recevez un fichier avec tout ce que nous gardons sur vous et qui l'a consulté.", "Ou resevwa yon fichye ak tout sa nou kenbe sou ou ak kiyès ki te gade l."},
	"data.download":    {"Bajar el archivo", "Download the file", "Télécharger le fichier", "Telechaje fichye a"},
	"data.erase_title": {"Borrar mis datos", "Erase my data", "Effacer mes données", "Efase done mwen yo"},
	"data.erase_warning": {"Cuidado: esto borra para siempre su perfil, sus documentos y sus canalizaciones. No se puede deshacer. Si vuelve, tendrá que registrarse otra vez.",
		"Careful: this erases your profile, your documents and your referrals for ever. It cannot be undone. If you come back, you will have to sign up again.",
		"Attention : cela efface pour toujours votre profil, vos documents et vos orientations. On ne peut pas revenir en arrière. Si vous revenez, il faudra vous inscrire de nouveau.",
		"Atansyon: sa a efase pwofil ou, papye ou yo ak tout kote yo te voye ou pou tout tan. Ou pa ka defèt li. Si ou tounen, w ap oblije enskri ankò."},
	"data.erase_confirm": {"Entiendo: quiero borrar todos mis datos para siempre.", "I understand: I want to erase all my data for ever.",
		"Je comprends : je veux effacer toutes mes données pour toujours.", "Mwen konprann: mwen vle efase tout done mwen yo pou tout tan."},
	"data.erase": {"Borrar todo", "Erase everything", "Tout effacer", "Efase tout"},
	"data.erase_need": {"Marque la casilla para confirmar que quiere borrar todo.", "Tick the box to confirm that you want to erase everything.",
		"Cochez la case pour confirmer que vous voulez tout effacer.", "Make bwat la pou konfime ou vle efase tout."},
	"erased.title": {"Sus datos fueron borrados", "Your data has been erased", "Vos données ont été effacées", "Done ou yo efase"},
	"erased.text": {"Borramos su perfil y sus documentos. Gracias por usar Vincula. Puede registrarse otra vez cuando quiera.",
		"We erased your profile and your documents. Thank you for using Vincula. You can sign up again whenever you want.",
		"Nous avons effacé votre profil et vos documents. Merci d'avoir utilisé Vincula. Vous pouvez vous inscrire de nouveau quand vous voulez.",
		"Nou efase pwofil ou ak papye ou yo. Mèsi paske ou te sèvi ak Vincula. Ou ka enskri ankò kilè ou vle."},

	// Problems.
	"err.title":     {"No se pudo", "It did not work", "Cela n'a pas marché", "Sa pa t mache"},
	"err.form":      {"Revise lo que está marcado.", "Check what is marked.", "Vérifiez ce qui est signalé.", "Tcheke sa ki make yo."},
	"err.field":     {"Revise este dato.", "Check this item.", "Vérifiez cette donnée.", "Tcheke done sa a."},
	"err.required":  {"Llene este dato.", "Fill this in.", "Remplissez ce champ.", "Ranpli sa a."},
	"err.full_name": {"Escriba su nombre.", "Write your name.", "Écrivez votre nom.", "Ekri non ou."},
	"err.phone": {"Escriba un teléfono de 10 a 15 números, por ejemplo +52 962 123 4567.", "Write a phone number of 10 to 15 digits, for example +52 962 123 4567.",
		"Écrivez un numéro de 10 à 15 chiffres, par exemple +52 962 123 4567.", "Ekri yon nimewo telefòn 10 a 15 chif, pa egzanp +52 962 123 4567."},
	"err.pin_digits":      {"El PIN debe tener de 6 a 12 números, y nada más.", "The PIN must be 6 to 12 digits, and nothing else.", "Le code PIN doit avoir de 6 à 12 chiffres, et rien d'autre.", "PIN nan dwe gen 6 a 12 chif, san lòt bagay."},
	"err.pin_repeated":    {"No repita el mismo número, como 111111.", "Do not repeat one digit, like 111111.", "Ne répétez pas le même chiffre, comme 111111.", "Pa repete menm chif la, tankou 111111."},
	"err.pin_run":         {"No use números seguidos, como 123456 o 654321.", "Do not use digits in a row, like 123456 or 654321.", "N'utilisez pas des chiffres qui se suivent, comme 123456 ou 654321.", "Pa sèvi ak chif ki youn apre lòt, tankou 123456 oswa 654321."},
	"err.birth_date":      {"Escriba su fecha de nacimiento.", "Write your date of birth.", "Écrivez votre date de naissance.", "Ekri dat nesans ou."},
	"err.nationality":     {"Elija su país.", "Choose your country.", "Choisissez votre pays.", "Chwazi peyi ou."},
	"err.current_state":   {"Elija el estado donde está.", "Choose the state where you are.", "Choisissez l'État où vous êtes.", "Chwazi eta kote ou ye a."},
	"err.education_level": {"Elija hasta dónde estudió.", "Choose how far you went in school.", "Choisissez jusqu'où vous avez étudié.", "Chwazi ki nivo lekòl ou rive."},
	"err.consent":         {"Diga si los empleadores pueden ver su perfil.", "Say whether employers may see your profile.", "Dites si les employeurs peuvent voir votre profil.", "Di si patwon yo ka wè pwofil ou."},
	"err.document":        {"Revise los datos del documento y sus fechas.", "Check the document's details and dates.", "Vérifiez les données du document et ses dates.", "Tcheke enfòmasyon papye a ak dat li yo."},
	"err.phone_taken": {"Este teléfono no se puede registrar. Si es suyo, entre con su PIN o pida ayuda en un punto de información.",
		"This phone cannot be registered. If it is yours, sign in with your PIN or ask for help at an information hub.",
		"Ce téléphone ne peut pas être enregistré. S'il est à vous, connectez-vous avec votre code PIN ou demandez de l'aide dans un point d'information.",
		"Yo pa ka anrejistre telefòn sa a. Si se pou ou, konekte ak PIN ou oswa mande èd nan yon pwen enfòmasyon."},
	"err.login": {"El teléfono o el PIN no son correctos.", "The phone number or the PIN is not right.", "Le numéro ou le code PIN n'est pas correct.", "Nimewo a oswa PIN nan pa kòrèk."},
	"err.locked": {"Hubo demasiados intentos. Espere %d minutos, o pida un PIN nuevo en un punto de información.",
		"Too many tries. Wait %d minutes, or ask for a new PIN at an information hub.",
		"Trop d'essais. Attendez %d minutes, ou demandez un nouveau code PIN dans un point d'information.",
		"Twòp esè. Tann %d minit, oswa mande yon nouvo PIN nan yon pwen enfòmasyon."},
	"err.wait": {"Hubo demasiados intentos. Espere %d segundos y vuelva a intentarlo.", "Too many tries. Wait %d seconds and try again.",
		"Trop d'essais. Attendez %d secondes et réessayez.", "Twòp esè. Tann %d segonn epi eseye ankò."},
	"err.csrf": {"La página venció. Vuelva a intentarlo.", "The page has expired. Please try again.", "La page a expiré. Réessayez.", "Paj la ekspire. Eseye ankò."},
	"err.internal": {"Algo falló de nuestro lado. Inténtelo más tarde.", "Something went wrong on our side. Try again later.",
		"Un problème est survenu de notre côté. Réessayez plus tard.", "Yon bagay pa mache bò kote pa nou. Eseye ankò pita."},
	"err.not_found": {"No encontramos esta página.", "We could not find this page.", "Nous n'avons pas trouvé cette page.", "Nou pa jwenn paj sa a."},
	"err.back":      {"Volver al inicio", "Back to the start", "Retour au début", "Retounen nan kòmansman"},
	// Dates: day, month name, year (a string, so that no printer groups its digits).
	"date":     {"%d de %s de %s", "%d %s %s", "%d %s %s", "%d %s %s"},
	"month.1":  {"enero", "January", "janvier", "janvye"},
	"month.2":  {"febrero", "February", "février", "fevriye"},
	"month.3":  {"marzo", "March", "mars", "mas"},
	"month.4":  {"abril", "April", "avril", "avril"},
	"month.5":  {"mayo", "May", "mai", "me"},
	"month.6":  {"junio", "June", "juin", "jen"},
	"month.7":  {"julio", "July", "juillet", "jiyè"},
	"month.8":  {"agosto", "August", "août", "out"},
	"month.9":  {"septiembre", "September", "septembre", "septanm"},
	"month.10": {"octubre", "October", "octobre", "oktòb"},
	"month.11": {"noviembre", "November", "novembre", "novanm"},
	"month.12": {"diciembre", "December", "décembre", "desanm"},
	"and":      {"%s y %s", "%s and %s", "%s et %s", "%s ak %s"},
}

// printers holds one printer per language over the catalogue, built once.
var printers = sync.OnceValue(func() map[string]*message.Printer {
	b := catalog.NewBuilder(catalog.Fallback(language.Spanish))
	for key, tr := range texts {
		for i, l := range Languages {
			if err := b.SetString(language.Make(l), key, tr[i]); err != nil {
				panic(fmt.Sprintf("migrants: catalogue entry %q: %v", key, err))
			}
		}
	}
	out := map[string]*message.Printer{}
	for _, l := range Languages {
		out[l] = message.NewPrinter(language.Make(l), message.Catalog(b))
	}
	return out
})

// T writes the message key in lang (Spanish when lang is not one of Languages),
// formatting args into it.
func T(lang, key string, args ...any) string {
	p, ok := printers()[lang]
	if !ok {
		p = printers()["es"]
	}
	return p.Sprintf(key, args...)
}

// Has reports whether the catalogue holds key.
func Has(key string) bool {
	_, ok := texts[key]
	return ok
}

// Message is one catalogue entry in every language, by language code.
type Message struct {
	Key  string
	Text map[string]string
}

// Messages lists the catalogue, for tests that check it is complete and that a page in
// one language shows none of another's words.
func Messages() []Message {
	out := make([]Message, 0, len(texts))
	for k, tr := range texts {
		m := Message{Key: k, Text: map[string]string{}}
		for i, l := range Languages {
			m.Text[l] = tr[i]
		}
		out = append(out, m)
	}
	return out
}

// Lang picks the language of the pages from a chosen one (a cookie) or, failing that,
// the browser's Accept-Language header: the first it prefers that the catalogue has,
// and Spanish, the hubs' language, when none.
func Lang(chosen, acceptLanguage string) string {
	for _, l := range Languages {
		if chosen == l {
			return l
		}
	}
	tags, q, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return "es"
	}
	for i, t := range tags {
		if q[i] <= 0 {
			continue
		}
		base, _ := t.Base()
		for _, l := range Languages {
			if base.String() == l {
				return l
			}
		}
	}
	return "es"
}
