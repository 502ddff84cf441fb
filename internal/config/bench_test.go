package config

import "testing"

// BenchmarkLoad loads the full config with its env file, as a run does.
func BenchmarkLoad(b *testing.B) {
	opts := Options{Path: fullYAML, PathExplicit: true, EnvFile: fullEnv, LookupEnv: mapEnv(nil)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(opts); err != nil {
			b.Fatal(err)
		}
	}
}
