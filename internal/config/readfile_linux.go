package config

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
)

// readFile reads a config or env file, refusing directories and anything
// implausibly large. Errors name no path (the caller's *Error does).
//
// It calls the system directly rather than through os.Open: os tries to
// register every file it opens with the runtime's network poller (four
// fcntl calls and an epoll_ctl a regular file refuses, and for the first
// file the poller itself), and io.ReadAll's growing buffer took five reads
// for a 1.5 KB config. Here: open, fstat, two reads, close.
func readFile(path string, limit int) ([]byte, fs.FileMode, error) {
	fd, err := openRead(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, 0, fs.ErrNotExist
		}
		return nil, 0, fmt.Errorf("cannot open: %w", err)
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	for {
		if err = syscall.Fstat(fd, &st); err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("cannot stat: %w", err)
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		return nil, 0, errors.New("is a directory, not a file")
	}
	// Room for the whole file and one byte more: a file that fits is read
	// in one call and its end seen in the next. One whose size is not
	// known (a pipe, /proc) or that grows meanwhile grows the buffer.
	size := limit + 1
	if st.Size >= 0 && st.Size < int64(limit) {
		size = int(st.Size) + 1
	}
	data := make([]byte, 0, size)
	for len(data) <= limit {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := syscall.Read(fd, data[len(data):min(cap(data), limit+1)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("cannot read: %w", err)
		}
		if n <= 0 {
			break
		}
		data = data[:len(data)+n]
	}
	if len(data) > limit {
		return nil, 0, fmt.Errorf("larger than the limit of %s; is this the right file?", sizeName(limit))
	}
	return data, fs.FileMode(st.Mode & 0o777), nil
}

// openRead opens path read-only, retrying when a signal interrupts it.
func openRead(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
