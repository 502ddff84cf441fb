//go:build ignore

// gen_trie writes endpoints_trie.go, the segment trie over the path
// templates of Endpoints, as a literal the linker lays out as data. Run
// it (go generate ./internal/contio) after changing the catalogue;
// TestEndpointsTrieIsGenerated fails until then.
//
// It imports the package, which must build: should endpoints_trie.go stop
// compiling (segmentNode changed), cut it down to
// "package contio; var pathTrie segmentTrie" and run this again.
package main

import (
	"log"
	"os"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/contio/internal/triegen"
)

func main() {
	templates := make([]string, len(contio.Endpoints))
	for i, e := range contio.Endpoints {
		templates[i] = e.Path
	}
	src, err := triegen.Generate(templates)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("endpoints_trie.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
