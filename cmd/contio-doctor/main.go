// Command contio-doctor diagnoses an integration with the Contio Partner
// API: it reads contio-doctor.yaml, runs offline checks and safe live
// probes, and prints each problem as symptom, cause and fix.
package main

import (
	"os"

	// The catalogue registers its checks with the engine at init.
	_ "github.com/Contio-AI/contio-doctor/checks"
	// Grows the main goroutine's stack once, before the other inits.
	_ "github.com/Contio-AI/contio-doctor/internal/stackstart"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
