package main

import "github.com/spf13/pflag"

// listFlag is pflag's StringSlice or StringArray with nothing rendered
// until the flag is used. Defining a pflag slice flag renders its default
// through encoding/csv, a 4 KB buffer and a cold code path for every one
// of the run's four empty list flags; this value builds pflag's own on the
// first Set and hands it every call from then on, so parsing, appending
// and what GetSlice returns are pflag's. Its default is empty, which --help
// does not print, as before.
type listFlag struct {
	p     *[]string
	name  string
	array bool // StringArray: no comma splitting
	inner pflag.Value
}

func stringSliceVar(f *pflag.FlagSet, p *[]string, name, usage string) {
	f.VarPF(&listFlag{p: p, name: name}, name, "", usage).DefValue = ""
}

func stringArrayVar(f *pflag.FlagSet, p *[]string, name, usage string) {
	f.VarPF(&listFlag{p: p, name: name, array: true}, name, "", usage).DefValue = ""
}

// real is pflag's value behind the flag, built on first use.
func (l *listFlag) real() pflag.Value {
	if l.inner == nil {
		fs := pflag.NewFlagSet(l.name, pflag.ContinueOnError)
		if l.array {
			fs.StringArrayVar(l.p, l.name, *l.p, "")
		} else {
			fs.StringSliceVar(l.p, l.name, *l.p, "")
		}
		l.inner = fs.Lookup(l.name).Value
	}
	return l.inner
}

func (l *listFlag) Type() string {
	if l.array {
		return "stringArray"
	}
	return "stringSlice"
}

func (l *listFlag) String() string {
	if l.inner == nil && len(*l.p) == 0 {
		return "[]"
	}
	return l.real().String()
}

func (l *listFlag) Set(v string) error        { return l.real().Set(v) }
func (l *listFlag) Append(v string) error     { return l.real().(pflag.SliceValue).Append(v) }
func (l *listFlag) Replace(vs []string) error { return l.real().(pflag.SliceValue).Replace(vs) }
func (l *listFlag) GetSlice() []string        { return l.real().(pflag.SliceValue).GetSlice() }
