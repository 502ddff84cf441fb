// Package stackstart grows the main goroutine's stack to what a run needs
// before any other package's init runs.
//
// A goroutine starts on 8 KiB and doubles its stack whenever a call would
// overflow it: the runtime copies the stack and adjusts every frame on it,
// reading each function's stack maps, and in a cold process those reads
// touch pages nothing else needs. An offline run's main goroutine grew
// three times (8, 16, 32 to 64 KiB) during package init and the YAML
// parse, with deeper stacks to copy each time. One call here with a
// 40 KiB frame grows it straight to 64 KiB while the stack is two frames
// deep, which costs a cold start less than the three copies did (see the
// README's cold-start section).
//
// The package imports nothing, and Go initialises packages in import-path
// order among those whose own imports are done, so this one runs before
// the third-party packages' inits (github.com/charmbracelet/...,
// gopkg.in/yaml.v3 and the rest), which are the first to grow the stack.
// cmd/contio-doctor's tests hold both: the order, and the frame size.
package stackstart

// frame is the size of grow's frame: more than half of 64 KiB, so one
// growth from 8 KiB reaches 64 KiB, the most an offline run needs.
const frame = 40 << 10

func init() {
	if grow(frame/2) != 0 {
		panic("stackstart: grow read a byte it never wrote")
	}
}

// grow writes one byte of its array and reads another, at indices the
// compiler cannot see, so it keeps (and zeroes) the whole array, and with
// it the frame. It returns 0.
//
//go:noinline
func grow(i int) byte {
	var b [frame]byte
	b[i] = 1
	return b[i/2]
}
