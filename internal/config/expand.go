package config

import (
	"fmt"
	"strings"
)

// varLookup finds a variable for ${VAR} expansion. The process environment
// wins over the env file, as dotenv tools do: a CI job's exported secret
// overrides a developer's .env.
type varLookup struct {
	env  func(string) (string, bool)
	file *dotenv
}

// get returns a variable's value and, when it came from the env file, the
// entry that holds it.
func (l varLookup) get(name string) (val string, from *envEntry, ok bool) {
	if l.env != nil {
		if v, ok := l.env(name); ok {
			return v, nil, true
		}
	}
	if e, ok := l.file.lookup(name); ok {
		return e.Value, &e, true
	}
	return "", nil, false
}

// expansion is the result of expanding one scalar.
type expansion struct {
	Value string
	// Vars are the variables referenced, in order.
	Vars []string
	// Missing are referenced variables that are unset and have no default.
	Missing []string
	// Bad is a syntax problem ("" when none).
	Bad string
}

// expand replaces ${VAR} and ${VAR:-default} in s; $$ is a literal $, and a
// $ followed by anything else stays as it is. The result is never parsed
// again, so whatever a variable holds ("\r", quotes, a newline, a BOM)
// reaches the value unchanged. ":-" applies the default when the variable
// is unset or empty, as in the shell. A result longer than limit bytes is
// refused (Bad), so a variable referenced many times cannot exhaust memory.
func expand(s string, vars varLookup, limit int) expansion {
	if !strings.Contains(s, "$") {
		return expansion{Value: s}
	}
	var x expansion
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
			continue
		case '{':
		default:
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			x.Bad = "unterminated ${ (write $$ for a literal dollar sign)"
			return x
		}
		ref := s[i+2 : i+2+end]
		name, def, hasDef := strings.Cut(ref, ":-")
		if strings.Contains(def, "${") {
			x.Bad = "a default cannot hold another ${...} reference (write $$ for a literal dollar sign)"
			return x
		}
		if !validVarName(name) {
			x.Bad = "invalid variable reference: ${...} needs a name of letters, digits and underscores (write $$ for a literal dollar sign)"
			return x
		}
		x.Vars = append(x.Vars, name)
		val, _, ok := vars.get(name)
		if b.Len()+len(val)+len(def) > limit {
			x.Bad = fmt.Sprintf("expands to more than the limit of %s (%s holds %d bytes)", sizeName(limit), name, len(val))
			return x
		}
		switch {
		case hasDef && (!ok || val == ""):
			b.WriteString(def)
		case ok:
			b.WriteString(val)
		default:
			x.Missing = append(x.Missing, name)
		}
		i += 2 + end
	}
	if b.Len() > limit {
		x.Bad = fmt.Sprintf("is longer than the limit of %s", sizeName(limit))
		return x
	}
	x.Value = b.String()
	return x
}

// validVarName reports whether name is a shell-style variable name.
func validVarName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
