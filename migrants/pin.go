package migrants

import "github.com/vincula/vincula/accounts"

// dummyPINHash is checked against when a phone is unknown, so that the answer takes
// as long as for a wrong PIN.
const dummyPINHash = "$argon2id$v=19$m=19456,t=2,p=1$dmluY3VsYS1kdW1teS1zYQ$3pMHraoYX3hVBIvPXvNoFn9/XTLiJ1GOOwAIJh8ldp4"

// hashPIN returns the argon2id hash of pin in the PHC string form, with the staff
// passwords' parameters (OWASP's minimum: 19 MiB, two passes, one lane), which are
// written into each hash so that they can be raised without breaking old ones.
func hashPIN(pin string) (string, error) { return accounts.HashPassword(pin) }

// verifyPIN reports whether pin matches an encoded argon2id hash, in constant time.
func verifyPIN(encoded, pin string) bool { return accounts.VerifyPassword(encoded, pin) }
