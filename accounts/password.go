package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// The argon2id parameters of staff passwords: OWASP's minimum (19 MiB, two passes, one
// lane). They are written into each hash, so they can be raised without breaking old
// ones.
const (
	memoryKiB    = 19 * 1024
	passes       = 2
	lanes        = 1
	keyLen       = 32
	saltLen      = 16
	maxMemoryKiB = 1 << 20
)

// dummyHash is checked against when an e-mail address is unknown, so that the answer
// takes as long as for a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("vincula-dummy-password")
	return h
})

// HashPassword returns the argon2id hash of password in the PHC string form
// ($argon2id$v=19$m=..,t=..,p=..$salt$hash), salt and parameters included.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, passes, memoryKiB, lanes, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, passes, lanes,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches an encoded argon2id hash, in
// constant time.
func VerifyPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var memory, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &t, &p); err != nil ||
		memory == 0 || memory > maxMemoryKiB || t == 0 || p == 0 {
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
	got := argon2.IDKey([]byte(password), salt, t, memory, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckPassword says what is wrong with a new password, or "" when nothing is: at
// least 10 characters, at most 128.
func CheckPassword(password string) string {
	switch n := len([]rune(password)); {
	case n < 10:
		return "must have at least 10 characters"
	case len(password) > 128:
		return "may have at most 128 bytes"
	}
	return ""
}
