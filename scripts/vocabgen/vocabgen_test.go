package vocabgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// sourcesDir is where the project keeps the public sources (see NOTICE); VOCAB_SOURCES
// points elsewhere.
func sourcesDir() string {
	if d := os.Getenv("VOCAB_SOURCES"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "vocab-sources")
}

// TestGenerateReproducesTheCommittedFile: running the generator on the sources gives the
// embedded models/esco.tsv.gz byte for byte, so the file is what the sources say.
func TestGenerateReproducesTheCommittedFile(t *testing.T) {
	dir := sourcesDir()
	if _, err := os.Stat(filepath.Join(dir, "esco-1.1.1")); err != nil {
		t.Skipf("the vocabulary sources are not at %s (set VOCAB_SOURCES to their directory): %v", dir, err)
	}
	got, err := Generate(SourcesIn(dir))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "models", "esco.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the generator gives %d bytes, the committed models/esco.tsv.gz has %d: run `make vocab`", len(got), len(want))
	}
	again, err := Generate(SourcesIn(dir))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, again) {
		t.Fatal("two runs of the generator differ")
	}
}

// TestGenerateRefusesMissingSources: a wrong path is an error naming it, not an empty file.
func TestGenerateRefusesMissingSources(t *testing.T) {
	src := SourcesIn(t.TempDir())
	if _, err := Generate(src); err == nil {
		t.Fatal("Generate succeeded without sources")
	}
}
