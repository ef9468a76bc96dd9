package models

// CompleteCURP appends RENAPO's check digit to the first 17 characters of a CURP. It
// serves generators of demo and benchmark data, which need CURPs that validate.
func CompleteCURP(first17 string) string {
	r := []rune(first17)
	if len(r) != 17 {
		return first17
	}
	return first17 + string(curpCheckDigit(r))
}
