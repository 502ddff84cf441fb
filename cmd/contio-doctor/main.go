// Command contio-doctor diagnoses an integration with the Contio Partner
// API: it reads contio-doctor.yaml, runs offline checks and safe live
// probes, and prints each problem as symptom, cause and fix.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
