// Package lazyre holds regular expressions compiled on their first use.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled on its first use: a package-level
// regexp.MustCompile runs at every start of the binary, whether or not the
// expression is ever used. Declared as &lazyre.Regexp{Expr: …}, it is laid
// out as data and costs nothing at init. An invalid Expr panics on first
// use, as regexp.MustCompile does.
type Regexp struct {
	Expr string
	once sync.Once
	re   *regexp.Regexp
}

// Get returns the compiled expression.
func (l *Regexp) Get() *regexp.Regexp {
	l.once.Do(l.compile)
	return l.re
}

func (l *Regexp) compile() { l.re = regexp.MustCompile(l.Expr) }

func (l *Regexp) MatchString(s string) bool      { return l.Get().MatchString(s) }
func (l *Regexp) FindString(s string) string     { return l.Get().FindString(s) }
func (l *Regexp) FindStringIndex(s string) []int { return l.Get().FindStringIndex(s) }
func (l *Regexp) FindStringSubmatchIndex(s string) []int {
	return l.Get().FindStringSubmatchIndex(s)
}
func (l *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return l.Get().FindAllStringIndex(s, n)
}
func (l *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return l.Get().FindAllStringSubmatchIndex(s, n)
}
func (l *Regexp) ReplaceAllString(src, repl string) string {
	return l.Get().ReplaceAllString(src, repl)
}
