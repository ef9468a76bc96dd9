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

// TestDockerImagesArePinnedAndChecked: every base image is named by an exact version
// and a digest, so that a rebuild takes the same bytes, and the image's HEALTHCHECK
// runs `vincula healthcheck` in exec form (the image has no shell).
func TestDockerImagesArePinnedAndChecked(t *testing.T) {
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	from := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllSubmatch(b, -1)
	if len(from) != 2 {
		t.Fatalf("%d FROM lines, want the build stage and the runtime image", len(from))
	}
	// A tag with a full version (1.26.8-bookworm) or distroless's named tag, then the digest.
	pinned := regexp.MustCompile(`^[a-z0-9./-]+:([0-9]+\.[0-9]+\.[0-9]+[a-z0-9.-]*|nonroot)@sha256:[0-9a-f]{64}$`)
	for _, f := range from {
		if !pinned.Match(f[1]) {
			t.Errorf("the base image %s is not pinned by exact version and digest", f[1])
		}
	}
	if !regexp.MustCompile(`(?m)^FROM golang:1\.26\.8-`).Match(b) {
		t.Error("the build stage's Go is not go.mod's 1.26.8")
	}
	if !regexp.MustCompile(`(?m)^HEALTHCHECK .*CMD \["/usr/local/bin/vincula", "healthcheck"\]$`).Match(b) {
		t.Error("the Dockerfile has no HEALTHCHECK running vincula healthcheck in exec form")
	}
}
