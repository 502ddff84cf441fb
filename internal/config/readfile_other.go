//go:build !linux

package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// readFile reads a config or env file, refusing directories and anything
// implausibly large. Errors name no path (the caller's *Error does).
func readFile(path string, limit int) ([]byte, fs.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, 0, fs.ErrNotExist
		}
		return nil, 0, fmt.Errorf("cannot open: %w", unwrapPath(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("cannot stat: %w", unwrapPath(err))
	}
	if st.IsDir() {
		return nil, 0, errors.New("is a directory, not a file")
	}
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, 0, fmt.Errorf("cannot read: %w", unwrapPath(err))
	}
	if len(data) > limit {
		return nil, 0, fmt.Errorf("larger than the limit of %s; is this the right file?", sizeName(limit))
	}
	return data, st.Mode().Perm(), nil
}

// unwrapPath drops the *PathError wrapper, whose path the caller prints.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
