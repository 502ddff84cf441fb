//go:build !unix

package config

import "io/fs"

func readFile(path string, limit int) ([]byte, fs.FileMode, error) {
	return readFileOS(path, limit)
}
