package models

import "strings"

// DangerousWork is one group of ISCO-08 occupations that Ley Federal del Trabajo art. 176
// counts as dangerous or unhealthy for people under 18: a vacancy in such an occupation
// is hazardous unless an admin says otherwise.
type DangerousWork struct {
	// ISCO is a prefix of ISCO-08 codes: "711" covers every unit group of building
	// frame trades (7111 to 7119).
	ISCO string
	// What says, for people, why the work is dangerous.
	What string
}

// DangerousOccupations is the list, by ISCO-08 group, of the work LFT art. 176 names:
// construction, mining, heavy and mobile machinery (forklifts and cranes), welding and
// metal working, chemicals and pesticides, electricity, work at heights and under water,
// explosives and forestry.
var DangerousOccupations = []DangerousWork{
	{"711", "construction (building frame trades)"},
	{"712", "construction (roofing, plastering, plumbing, glazing)"},
	{"7132", "spray painting and varnishing (chemicals)"},
	{"7133", "cleaning building structures (heights, chemicals)"},
	{"721", "welding and metal working"},
	{"7411", "electrical installation"},
	{"7413", "electric power lines"},
	{"7541", "diving"},
	{"7542", "explosives"},
	{"7544", "fumigation and pest control (pesticides)"},
	{"6210", "forestry and logging"},
	{"811", "mining and mineral processing"},
	{"812", "metal processing plants"},
	{"813", "chemical plants"},
	{"834", "mobile heavy machinery (tractors, earthmovers, cranes, forklifts)"},
	{"931", "mining and construction labour"},
}

// DangerousISCO returns the group of DangerousOccupations that an ISCO-08 code falls in.
func DangerousISCO(code string) (DangerousWork, bool) {
	if !ValidISCO(code) {
		return DangerousWork{}, false
	}
	for _, d := range DangerousOccupations {
		if strings.HasPrefix(code, d.ISCO) {
			return d, true
		}
	}
	return DangerousWork{}, false
}

// DangerousOccupation says whether the vacancy's occupation is on the dangerous list:
// its occupation code when it has one (a SINCO 2019 code through each ISCO-08 unit group
// INEGI's table maps it to), otherwise the occupations the vocabulary finds in its
// title. It returns the ISCO-08 code and the group that made it so.
func (v *Vacancy) DangerousOccupation() (string, DangerousWork, bool) {
	voc := DefaultVocabulary()
	if code := strings.TrimSpace(v.OccupationCode); code != "" {
		for _, isco := range voc.ISCOCodes(code) {
			if d, ok := DangerousISCO(isco); ok {
				return isco, d, true
			}
		}
		return code, DangerousWork{}, false
	}
	for _, id := range voc.Match(v.Title) {
		c, ok := voc.Concept(id)
		if !ok || c.Kind != "occupation" {
			continue
		}
		if d, ok := DangerousISCO(c.ISCO); ok {
			return c.ISCO, d, true
		}
	}
	return "", DangerousWork{}, false
}

// IsHazardous is the vacancy's hazardous flag once resolved: what was declared or, when
// nothing was, whether its occupation is on the dangerous list.
func (v *Vacancy) IsHazardous() bool {
	if v.Hazardous != nil {
		return *v.Hazardous
	}
	_, _, ok := v.DangerousOccupation()
	return ok
}

// ResolveHazard checks the hazardous flag as declared and then fixes it to its resolved
// value, so that what is stored and shown is never null. Only an admin may declare a
// vacancy in a dangerous occupation not hazardous; anyone else may keep such a decision
// when prev (the stored vacancy, nil on create) carries it for the same occupation.
func (v *Vacancy) ResolveHazard(admin bool, prev *Vacancy) error {
	if v.Hazardous != nil && !*v.Hazardous && !admin {
		if code, d, ok := v.DangerousOccupation(); ok {
			kept := prev != nil && prev.Hazardous != nil && !*prev.Hazardous &&
				strings.TrimSpace(prev.OccupationCode) == strings.TrimSpace(v.OccupationCode) && prev.Title == v.Title
			if !kept {
				var fe FieldErrors
				fe.Add("hazardous", "cannot be false: the occupation (ISCO-08 %s) is %s, dangerous work for people under 18 (Ley Federal del Trabajo art. 176); only an admin can declare this vacancy not hazardous, so leave the field out", code, d.What)
				return fe.Err()
			}
		}
	}
	h := v.IsHazardous()
	v.Hazardous = &h
	return nil
}

// MaxHoursPerWeek bounds hours_per_week: the hours of a week.
const MaxHoursPerWeek = 168

func checkHours(ch *fieldCheck, h int) {
	if h < 0 || h > MaxHoursPerWeek {
		ch.add("hours_per_week", "%d is not a number of hours in a week (0 to %d; 0 means not stated)", h, MaxHoursPerWeek)
	}
}
