package sandbox

import (
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Clock tells the sandbox what time it is. Every expiry, rate-limit window,
// webhook retry and Date header reads it, so a test that advances it sees
// codes, OTPs and sessions expire without sleeping.
type Clock interface {
	Now() time.Time
}

// FakeClock is a Clock that moves only when told to. It is safe for
// concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock that starts at t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t} }

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// TestEpoch is where NewTest's fake clock starts: a fixed instant, so
// timestamps in tests are reproducible.
var TestEpoch = time.Date(2026, time.January, 15, 9, 0, 0, 0, time.UTC)

// skewedClock adds an offset to a base clock: Sandbox.Advance works the
// same whether the base clock is real or fake.
type skewedClock struct {
	mu     sync.Mutex
	base   Clock
	offset time.Duration
}

func (c *skewedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Now().Add(c.offset).UTC()
}

func (c *skewedClock) advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// idSource makes every random-looking value the sandbox hands out: IDs,
// tokens, OTPs, request_ids. Seeded, it repeats exactly for the same
// sequence of requests.
type idSource struct {
	mu  sync.Mutex
	rng *rand.ChaCha8
}

func newIDSource(seed uint64) *idSource {
	return &idSource{rng: rand.NewChaCha8(seedKey(seed))}
}

// reseed restarts the sequence, so a Reset repeats the IDs of a fresh start.
func (s *idSource) reseed(seed uint64) {
	s.mu.Lock()
	s.rng = rand.NewChaCha8(seedKey(seed))
	s.mu.Unlock()
}

func seedKey(seed uint64) [32]byte {
	var key [32]byte
	if seed == 0 {
		_, _ = crand.Read(key[:])
	} else {
		binary.LittleEndian.PutUint64(key[:], seed)
		copy(key[8:], "contio-sandbox-ids-seed-")
	}
	return key
}

func (s *idSource) bytes(n int) []byte {
	b := make([]byte, n)
	s.mu.Lock()
	_, _ = s.rng.Read(b)
	s.mu.Unlock()
	return b
}

// hex returns n random bytes as lower-case hex.
func (s *idSource) hex(n int) string { return hex.EncodeToString(s.bytes(n)) }

// uuid returns a version-4 UUID.
func (s *idSource) uuid() string {
	b := s.bytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// digits returns an n-digit decimal string (an OTP).
func (s *idSource) digits(n int) string {
	b := s.bytes(n)
	out := make([]byte, n)
	for i := range b {
		out[i] = '0' + b[i]%10
	}
	return string(out)
}

func (s *idSource) requestID() string { return "req_" + s.hex(12) }
