package config

import (
	"strings"
	"testing"
)

func TestDotenvLines(t *testing.T) {
	tests := []struct {
		name, line string
		key, value string
		col        int // column of the value
	}{
		{"plain", "KEY=value", "KEY", "value", 5},
		{"export", "export KEY=value", "KEY", "value", 12},
		{"export with tabs", "export\tKEY =\tvalue", "KEY", "value", 14},
		{"spaces around =", "  KEY = value", "KEY", "value", 9},
		{"empty", "KEY=", "KEY", "", 5},
		{"trailing comment", "KEY=value # note", "KEY", "value", 5},
		{"hash inside value", "KEY=a#b", "KEY", "a#b", 5},
		{"whole value is a comment", "KEY=#x", "KEY", "", 5},
		{"trailing blanks trimmed", "KEY=value \t", "KEY", "value", 5},
		{"crlf kept", "KEY=value\r", "KEY", "value\r", 5},
		{"blank before crlf kept", "KEY=value \r", "KEY", "value \r", 5},
		{"single quotes literal", `KEY='a\nb $X "c"'`, "KEY", `a\nb $X "c"`, 6},
		{"double quote escapes", `KEY="a\nb\tc\"d\\e\r"`, "KEY", "a\nb\tc\"d\\e\r", 6},
		{"unknown escape stays", `KEY="a\xb"`, "KEY", `a\xb`, 6},
		{"double quotes keep hash", `KEY="a # b" # c`, "KEY", "a # b", 6},
		{"quoted then crlf", "KEY=\"v\"\r", "KEY", "v", 6},
		{"stray double quote", `KEY="abc`, "KEY", `"abc`, 5},
		{"stray single quote", `KEY='abc`, "KEY", `'abc`, 5},
		{"quote in the middle", `KEY=ab"c`, "KEY", `ab"c`, 5},
		{"bom inside value", "KEY=\ufeffv", "KEY", "\ufeffv", 5},
		{"dotted name", "app.key-1=v", "app.key-1", "v", 11},
		{"comment", "# KEY=value", "", "", 0},
		{"indented comment", "   # x", "", "", 0},
		{"blank", "   ", "", "", 0},
		{"crlf blank", "\r", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, e, msg, _ := parseDotenvLine(tt.line)
			if msg != "" {
				t.Fatalf("error %q", msg)
			}
			if key != tt.key || e.Value != tt.value || key != "" && e.Column != tt.col {
				t.Errorf("got %q=%q (col %d), want %q=%q (col %d)", key, e.Value, e.Column, tt.key, tt.value, tt.col)
			}
		})
	}
}

func TestDotenvErrors(t *testing.T) {
	tests := []struct {
		name, line string
		col        int
		msg        string
	}{
		{"no equals", "KEY value", 5, "expected KEY=value"},
		{"colon", "KEY: value", 4, "expected KEY=value"},
		{"name only", "KEY", 4, "expected KEY=value"},
		{"starts with digit", "1KEY=v", 1, "expected a variable name"},
		{"starts with =", "=v", 1, "expected a variable name"},
		{"export alone", "export", 7, "expected KEY=value"},
		{"text after double quote", `KEY="a"b`, 8, `unexpected text after the closing quote in the value of "KEY"`},
		{"text after single quote", `KEY='it's'`, 9, `unexpected text after the closing quote in the value of "KEY"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, msg, col := parseDotenvLine(tt.line)
			if !strings.HasPrefix(msg, tt.msg) || col != tt.col {
				t.Errorf("got %q at col %d, want %q… at col %d", msg, col, tt.msg, tt.col)
			}
		})
	}
}

func TestDotenvFile(t *testing.T) {
	data := "\ufeffFIRST=1\n\n# comment\nexport SECOND=\"two\"\nFIRST=again\nbad line\nalso bad\n"
	_, err := parseDotenv("x.env", []byte(data))
	if err == nil || err.Error() != "x.env:6:5: expected KEY=value: a variable name must be followed by '='\n"+
		"x.env:7:6: expected KEY=value: a variable name must be followed by '='" {
		t.Fatalf("got %v", err)
	}
	d, err := parseDotenv("x.env", []byte(data[:strings.Index(data, "bad")]))
	if err != nil {
		t.Fatal(err)
	}
	if e := d.Values["FIRST"]; e.Value != "again" || e.Line != 5 {
		t.Errorf("FIRST = %+v, want the later line to win (line 5)", e)
	}
	if e := d.Values["SECOND"]; e.Value != "two" || e.Line != 4 || e.Column != 16 {
		t.Errorf("SECOND = %+v", e)
	}
}
