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
//
// The buffer is sized from stat, so a file that fits is read in one call
// and its end seen in the next (io.ReadAll's growing buffer took five
// reads for a 1.5 KB config); one whose size stat does not know (a pipe,
// /proc) or that grows meanwhile grows the buffer, up to one byte past
// the limit.
//
// On Unix readFile is readFileUnix (readfile_unix.go); elsewhere it is
// readFileOS, which does the same through package os.
func readFileOS(path string, limit int) ([]byte, fs.FileMode, error) {
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
	data, err := readLimited(f, st.Size(), limit)
	if err != nil {
		return nil, 0, err
	}
	return data, st.Mode().Perm(), nil
}

// readLimited reads r to its end into a buffer sized from size (what stat
// said; negative or wrong is fine), refusing more than limit bytes.
func readLimited(r io.Reader, size int64, limit int) ([]byte, error) {
	n := limit + 1
	if size >= 0 && size < int64(limit) {
		n = int(size) + 1
	}
	data := make([]byte, 0, n)
	for len(data) <= limit {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):min(cap(data), limit+1)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read: %w", unwrapPath(err))
		}
	}
	if len(data) > limit {
		return nil, fmt.Errorf("larger than the limit of %s; is this the right file?", sizeName(limit))
	}
	return data, nil
}

// unwrapPath drops the *PathError wrapper, whose path the caller prints.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
