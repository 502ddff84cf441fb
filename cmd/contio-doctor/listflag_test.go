package main

import (
	"slices"
	"testing"

	"github.com/spf13/pflag"
)

// listFlag must parse exactly as pflag's StringSlice and StringArray do,
// and read as they do through the FlagSet (GetStringSlice, GetStringArray).
func TestListFlagParsesAsPflag(t *testing.T) {
	lines := [][]string{
		nil,
		{"--x", "a"},
		{"--x", "a,b", "--x", "c"},
		{"--x=a,b"},
		{"--x", `"a,b",c`},
		{"--x", ""},
		{"--x", "json=out.json", "--x", "sarif=a,b.sarif"},
	}
	for _, array := range []bool{false, true} {
		for _, args := range lines {
			var want, got []string
			ref := pflag.NewFlagSet("ref", pflag.ContinueOnError)
			ours := pflag.NewFlagSet("ours", pflag.ContinueOnError)
			if array {
				ref.StringArrayVar(&want, "x", nil, "")
				stringArrayVar(ours, &got, "x", "")
			} else {
				ref.StringSliceVar(&want, "x", nil, "")
				stringSliceVar(ours, &got, "x", "")
			}
			errRef, errOurs := ref.Parse(args), ours.Parse(args)
			if (errRef == nil) != (errOurs == nil) {
				t.Fatalf("array=%v %q: errors differ: %v vs %v", array, args, errRef, errOurs)
			}
			if !slices.Equal(got, want) {
				t.Errorf("array=%v %q: got %q, pflag %q", array, args, got, want)
			}
			if g, w := ours.Lookup("x").Value.(pflag.SliceValue).GetSlice(), ref.Lookup("x").Value.(pflag.SliceValue).GetSlice(); !slices.Equal(g, w) {
				t.Errorf("array=%v %q: GetSlice %q, pflag %q", array, args, g, w)
			}
			if ours.Lookup("x").Value.Type() != ref.Lookup("x").Value.Type() {
				t.Errorf("type %q, pflag %q", ours.Lookup("x").Value.Type(), ref.Lookup("x").Value.Type())
			}
			if g, w := ours.FlagUsages(), ref.FlagUsages(); g != w {
				t.Errorf("usage %q, pflag %q", g, w)
			}
		}
	}
}
