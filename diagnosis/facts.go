package diagnosis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Fact is a value that several checks need and that is computed once per
// run, on first demand: that the host answered, how the token endpoint
// took the client credentials, what introspection says of the token. It is
// the typed dependency between checks, in the manner of go/analysis's
// Requires and ResultOf: a check lists the facts it reads in
// Check.Requires and receives each, typed, from Of.
//
// A fact that cannot be established because something upstream is wrong
// returns a *Blocker: every check that needs it is then listed under that
// problem rather than failing or erroring on its own.
type Fact[T any] struct {
	// Name says what the fact is, for errors and the registry test.
	Name string
	// Requires lists the facts Compute reads.
	Requires []Requirement
	// Compute establishes the fact. It runs at most once per run.
	Compute func(ctx context.Context, in *Input) (T, error)
}

// Requirement is a fact, whatever its type, as Check.Requires lists it.
type Requirement interface {
	factName() string
	factRequires() []Requirement
}

func (f *Fact[T]) factName() string            { return f.Name }
func (f *Fact[T]) factRequires() []Requirement { return f.Requires }

// Of returns the fact for this run, computing it on first demand. Calling
// it for a fact the running check (or fact) did not declare is an error.
func (f *Fact[T]) Of(ctx context.Context, in *Input) (T, error) {
	var zero T
	if in.facts == nil {
		return zero, fmt.Errorf("internal error: fact %q read outside a run", f.Name)
	}
	if !declares(in.scope, f) {
		return zero, fmt.Errorf("internal error: %s reads fact %q without listing it in Requires", in.owner, f.Name)
	}
	c := in.facts.cell(f)
	c.once.Do(func() {
		sub := *in
		sub.scope, sub.owner = f.Requires, "fact "+f.Name
		c.val, c.err = computeFact(ctx, f, &sub)
	})
	if c.err != nil {
		return zero, c.err
	}
	return c.val.(T), nil
}

// computeFact calls Compute, turning a panic into an error.
func computeFact[T any](ctx context.Context, f *Fact[T], in *Input) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: fact %q panicked: %v", f.Name, p)
		}
	}()
	return f.Compute(ctx, in)
}

// declares reports whether f is in reqs or required by one of them.
func declares(reqs []Requirement, f Requirement) bool {
	for _, r := range reqs {
		if r == f || declares(r.factRequires(), f) {
			return true
		}
	}
	return false
}

// factStore holds one run's facts.
type factStore struct {
	mu    sync.Mutex
	cells map[Requirement]*factCell
}

type factCell struct {
	once sync.Once
	val  any
	err  error
}

func newFactStore() *factStore { return &factStore{cells: map[Requirement]*factCell{}} }

func (s *factStore) cell(f Requirement) *factCell {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cells[f]
	if !ok {
		c = &factCell{}
		s.cells[f] = c
	}
	return c
}

// validateRequires reports a cycle among facts reachable from reqs.
func validateRequires(reqs []Requirement) error {
	var visit func(r Requirement, path []Requirement) error
	visit = func(r Requirement, path []Requirement) error {
		if slices.Contains(path, r) {
			return fmt.Errorf("facts form a cycle through %q", r.factName())
		}
		for _, d := range r.factRequires() {
			if err := visit(d, append(path, r)); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range reqs {
		if err := visit(r, nil); err != nil {
			return err
		}
	}
	return nil
}

// Blocker is the error a fact (or a check) returns when it cannot be
// established because of a problem that another check reports: the host
// refused the connection, the client credentials were rejected, the quota
// is spent. The checks it blocks are listed under that problem.
type Blocker struct {
	// Root is the root cause, as the reporting check's findings name it.
	Root Root
	// Check is the ID of the check that reports the root cause.
	Check string
	// Reason says in a few words what is wrong ("auth.example.com
	// refused the connection").
	Reason string
	// Finding describes the problem when its own check did not run
	// (deselected with --only): the problem is then built from it.
	Finding Finding
}

func (b *Blocker) Error() string { return "blocked: " + b.Reason }

// AsBlocker reports whether err is (or wraps) a Blocker.
func AsBlocker(err error) (*Blocker, bool) {
	var b *Blocker
	ok := errors.As(err, &b)
	return b, ok
}
