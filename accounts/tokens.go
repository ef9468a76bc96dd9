// Package accounts holds the use cases of who is who: bearer tokens for programs,
// staff passwords, invitations and console sessions. It knows no HTTP.
package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewToken returns a fresh bearer token and the hash that is stored in its place.
func NewToken() (token, hash string) {
	token = "vin_" + randomString(32)
	return token, HashToken(token)
}

// HashToken is the one-way form in which tokens are stored and looked up: SHA-256 is
// enough because tokens are 256 random bits, not passwords.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// randomString is n random bytes, base64url-encoded.
func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("accounts: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewCSRFToken returns a random token for a form.
func NewCSRFToken() string { return randomString(24) }
