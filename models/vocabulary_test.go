package models

import (
	"slices"
	"testing"
)

func TestDefaultVocabularyLoads(t *testing.T) {
	v := DefaultVocabulary()
	if len(v.Concepts()) == 0 {
		t.Fatal("the embedded vocabulary has no concepts")
	}
}

func TestVocabularyMatchMason(t *testing.T) {
	v := DefaultVocabulary()
	for _, text := range []string{"Busco trabajo de albañil", "mason", "maçon", "bos mason", "BÒS MASON", "albañiles"} {
		t.Run(text, func(t *testing.T) {
			if got := v.Match(text); !slices.Equal(got, []string{"bricklayer"}) {
				t.Errorf("Match(%q) = %q, want [bricklayer]", text, got)
			}
		})
	}
	got := v.Match("operador de montacargas con experiencia en soldadura")
	if want := []string{"forklift_operator", "welding"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
