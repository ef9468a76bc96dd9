package datagen

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vincula/vincula/models"
)

// curpName reduces a name to the capital letters A–Z RENAPO works with: accents
// dropped, Ñ written X, spaces and hyphens removed.
func curpName(s string) string {
	s = strings.NewReplacer("ñ", "x", "Ñ", "X").Replace(s)
	return strings.ToUpper(strings.ReplaceAll(models.Fold(s), " ", ""))
}

// curpGiven picks the given name a CURP is built from: RENAPO skips a leading José or
// María when the person has a second given name, since so many people share them.
func curpGiven(given string) string {
	parts := strings.Fields(given)
	if len(parts) > 1 {
		switch curpName(parts[0]) {
		case "JOSE", "J", "MARIA", "MA", "M":
			return curpName(strings.Join(parts[1:], ""))
		}
	}
	return curpName(given)
}

func isVowel(c byte) bool { return strings.IndexByte("AEIOU", c) >= 0 }

// innerVowel returns the first vowel after the first letter, or X.
func innerVowel(s string) byte {
	for i := 1; i < len(s); i++ {
		if isVowel(s[i]) {
			return s[i]
		}
	}
	return 'X'
}

// innerConsonant returns the first consonant after the first letter, or X.
func innerConsonant(s string) byte {
	for i := 1; i < len(s); i++ {
		if !isVowel(s[i]) {
			return s[i]
		}
	}
	return 'X'
}

func initial(s string) byte {
	if s == "" {
		return 'X'
	}
	return s[0]
}

// curpBadWords are the four-letter starts RENAPO does not issue; their second letter
// becomes X.
var curpBadWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE
		COJI COJO COLA CULO FALO FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI
		KOJA KOJE KOJI KOJO KOLA KULO LILO LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO
		MOKO MULA MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN
		SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY`) {
		m[w] = true
	}
	return m
}()

// buildCURP builds the CURP RENAPO would give a person born abroad (state NE): letters
// from the surnames and the given name, the birth date, the sex, the inner consonants,
// a differentiator (a digit for births before 2000, a letter from 2000) and the check
// digit. A person with one surname gets X for the second, as RENAPO does.
func buildCURP(r *rand.Rand, given, surname1, surname2 string, birth models.Date, gender string) string {
	s1, s2, gv := curpName(surname1), curpName(surname2), curpGiven(given)
	head := []byte{initial(s1), innerVowel(s1), initial(s2), initial(gv)}
	if curpBadWords[string(head)] {
		head[1] = 'X'
	}
	sex := "X"
	switch gender {
	case "F":
		sex = "M"
	case "M":
		sex = "H"
	}
	t := birth.Time()
	var diff byte
	if t.Year() < 2000 {
		diff = byte('0' + r.IntN(10))
	} else {
		diff = byte('A' + r.IntN(26))
	}
	first17 := fmt.Sprintf("%s%02d%02d%02d%sNE%c%c%c%c", head, t.Year()%100, int(t.Month()), t.Day(), sex,
		innerConsonant(s1), innerConsonant(s2), innerConsonant(gv), diff)
	return models.CompleteCURP(first17)
}
