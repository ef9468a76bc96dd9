package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// encPrefix marks the format of an encrypted value, so the scheme can change later
// without guessing what a stored value is.
const encPrefix = "v1:"

// cipherBox encrypts sensitive values (document numbers, CURPs) with AES-256-GCM and a
// random nonce per value.
type cipherBox struct{ aead cipher.AEAD }

func newCipher(key []byte) (*cipherBox, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("store: the secret key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &cipherBox{aead: aead}, nil
}

func (c *cipherBox) seal(plain string) string {
	if plain == "" {
		return ""
	}
	nonce := make([]byte, c.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("store: crypto/rand failed: " + err.Error())
	}
	out := c.aead.Seal(nonce, nonce, []byte(plain), nil)
	return encPrefix + base64.RawStdEncoding.EncodeToString(out)
}

func (c *cipherBox) open(stored string) (string, error) {
	if stored == "" {
		return "", nil
	}
	raw, ok := strings.CutPrefix(stored, encPrefix)
	if !ok {
		return "", errors.New("store: encrypted value has an unknown format")
	}
	b, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(b) < c.aead.NonceSize() {
		return "", errors.New("store: encrypted value is corrupt")
	}
	plain, err := c.aead.Open(nil, b[:c.aead.NonceSize()], b[c.aead.NonceSize():], nil)
	if err != nil {
		return "", errors.New("store: encrypted value does not open with this key (was VINCULA_SECRET_KEY changed?)")
	}
	return string(plain), nil
}

// ParseKey reads a 32-byte key written as 64 hex digits or as base64.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("the secret key must be 32 bytes written as 64 hex digits or base64")
}

// LoadOrCreateKey reads the key file in dir, creating it with a fresh random key (mode
// 0600) when there is none. created says whether a new key was made, so the caller can
// log that the key must be backed up.
func LoadOrCreateKey(dir string) (key []byte, path string, created bool, err error) {
	path = filepath.Join(dir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		key, err := ParseKey(string(b))
		if err != nil {
			return nil, path, false, fmt.Errorf("%s: %w", path, err)
		}
		return key, path, false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, path, false, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, path, false, err
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, path, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, path, false, err
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, path, false, err
	}
	return key, path, true, f.Close()
}
