package main

import (
	"os"
	"regexp"
	"testing"
)

// TestDockerDataDirIsPrivate: the image's data directory, copied from the build stage
// with its mode, is made 0700 there and owned by the user the server runs as.
func TestDockerDataDirIsPrivate(t *testing.T) {
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`mkdir -p /out/data && chmod 0700 /out/data`,
		`COPY --from=build --chown=65532:65532 /out/data /data`, `USER 65532:65532`} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).Match(b) {
			t.Errorf("the Dockerfile lacks %q", want)
		}
	}
}
