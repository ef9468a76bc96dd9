package migrants

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The argon2id parameters of PINs: OWASP's minimum (19 MiB, two passes, one lane).
// They are written into each hash, so they can be raised without breaking old ones.
const (
	pinMemoryKiB = 19 * 1024
	pinPasses    = 2
	pinLanes     = 1
	pinKeyLen    = 32
	pinSaltLen   = 16
	// pinMaxMemoryKiB bounds what a stored hash may ask for.
	pinMaxMemoryKiB = 1 << 20
)

// dummyPINHash is checked against when a phone is unknown, so that the answer takes
// as long as for a wrong PIN.
const dummyPINHash = "$argon2id$v=19$m=19456,t=2,p=1$dmluY3VsYS1kdW1teS1zYQ$3pMHraoYX3hVBIvPXvNoFn9/XTLiJ1GOOwAIJh8ldp4"

// hashPIN returns the argon2id hash of pin in the PHC string form
// ($argon2id$v=19$m=..,t=..,p=..$salt$hash), salt and parameters included.
func hashPIN(pin string) (string, error) {
	salt := make([]byte, pinSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("PIN salt: %w", err)
	}
	key := argon2.IDKey([]byte(pin), salt, pinPasses, pinMemoryKiB, pinLanes, pinKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, pinMemoryKiB, pinPasses, pinLanes,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// verifyPIN reports whether pin matches an encoded argon2id hash, in constant time.
func verifyPIN(encoded, pin string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var memory, passes uint32
	var lanes uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &lanes); err != nil ||
		memory == 0 || memory > pinMaxMemoryKiB || passes == 0 || lanes == 0 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pin), salt, passes, memory, lanes, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
