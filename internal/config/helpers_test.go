package config

import "strconv"

// mapEnv is a LookupEnv over a fixed map, so the machine's environment
// never leaks into a test.
func mapEnv(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
