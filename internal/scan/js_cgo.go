//go:build cgo

package scan

/*
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>

// Declarations of the tree-sitter C API (v0.22 ABI, as bundled by
// github.com/smacker/go-tree-sitter, whose packages below compile and link
// the runtime and the grammars).
typedef struct TSLanguage TSLanguage;
typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;

TSParser *ts_parser_new(void);
void ts_parser_delete(TSParser *self);
bool ts_parser_set_language(TSParser *self, const TSLanguage *language);
void ts_parser_set_timeout_micros(TSParser *self, uint64_t timeout_micros);
TSTree *ts_parser_parse_string(TSParser *self, const TSTree *old_tree, const char *string, uint32_t length);
void ts_tree_delete(TSTree *self);
TSNode ts_tree_root_node(const TSTree *self);
TSSymbol ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
bool ts_node_is_named(TSNode self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
TSFieldId ts_tree_cursor_current_field_id(const TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
const char *ts_language_symbol_name(const TSLanguage *self, TSSymbol symbol);
uint32_t ts_language_symbol_count(const TSLanguage *self);
uint32_t ts_language_field_count(const TSLanguage *self);
const char *ts_language_field_name_for_id(const TSLanguage *self, TSFieldId id);

const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

// One node in pre-order: its symbol, field, named flag, byte range and
// the index of its parent (-1 for the root).
typedef struct {
	uint32_t start, end;
	int32_t parent;
	uint16_t symbol, field;
	uint8_t named;
} flat_node;

static const TSLanguage *lang_for(int k) {
	switch (k) {
	case 1: return tree_sitter_typescript();
	case 2: return tree_sitter_tsx();
	}
	return tree_sitter_javascript();
}

// flat_parse parses src and writes the tree in pre-order into a malloc'd
// array (*out, *count). It returns 0, or -1 when the parse failed or timed out.
static int flat_parse(int k, const char *src, uint32_t len, flat_node **out, uint32_t *count) {
	TSParser *p = ts_parser_new();
	ts_parser_set_language(p, lang_for(k));
	ts_parser_set_timeout_micros(p, 10 * 1000 * 1000);
	TSTree *t = ts_parser_parse_string(p, NULL, src, len);
	ts_parser_delete(p);
	if (!t) return -1;
	uint32_t cap = 1024, n = 0;
	flat_node *a = malloc(cap * sizeof(flat_node));
	int32_t stack_cap = 256, depth = 0;
	int32_t *stack = malloc(stack_cap * sizeof(int32_t));
	if (!a || !stack) { free(a); free(stack); ts_tree_delete(t); return -1; }
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(t));
	for (;;) {
		if (n == cap) {
			cap *= 2;
			flat_node *b = realloc(a, cap * sizeof(flat_node));
			if (!b) { free(a); free(stack); ts_tree_cursor_delete(&c); ts_tree_delete(t); return -1; }
			a = b;
		}
		TSNode node = ts_tree_cursor_current_node(&c);
		a[n].start = ts_node_start_byte(node);
		a[n].end = ts_node_end_byte(node);
		a[n].symbol = ts_node_symbol(node);
		a[n].field = ts_tree_cursor_current_field_id(&c);
		a[n].named = ts_node_is_named(node);
		a[n].parent = depth > 0 ? stack[depth-1] : -1;
		if (ts_tree_cursor_goto_first_child(&c)) {
			if (depth == stack_cap) {
				stack_cap *= 2;
				int32_t *s2 = realloc(stack, stack_cap * sizeof(int32_t));
				if (!s2) { free(a); free(stack); ts_tree_cursor_delete(&c); ts_tree_delete(t); return -1; }
				stack = s2;
			}
			stack[depth++] = (int32_t)n;
			n++;
			continue;
		}
		n++;
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c)) {
				goto done;
			}
			depth--;
		}
	}
done:
	free(stack);
	ts_tree_cursor_delete(&c);
	ts_tree_delete(t);
	*out = a;
	*count = n;
	return 0;
}

static const char *symbol_name(int k, uint16_t s) { return ts_language_symbol_name(lang_for(k), s); }
static const char *field_name(int k, uint16_t f) { return f ? ts_language_field_name_for_id(lang_for(k), f) : ""; }
static uint32_t symbol_count(int k) { return ts_language_symbol_count(lang_for(k)); }
static uint32_t field_count(int k) { return ts_language_field_count(lang_for(k)); }
*/
import "C"

import (
	"context"
	"errors"
	"sort"
	"sync"
	"unsafe"

	// The tree-sitter runtime and the grammars, compiled from C; the
	// declarations above call into them.
	_ "github.com/smacker/go-tree-sitter"
	_ "github.com/smacker/go-tree-sitter/javascript"
	_ "github.com/smacker/go-tree-sitter/typescript/tsx"
	_ "github.com/smacker/go-tree-sitter/typescript/typescript"
)

// JSAvailable reports whether this build parses JavaScript and TypeScript.
const JSAvailable = true

func langCode(k kind) C.int {
	switch k {
	case kindTS:
		return 1
	case kindTSX:
		return 2
	}
	return 0 // JSX is part of tree-sitter's JavaScript grammar
}

// grammarNames are a grammar's symbol and field names by id, read once.
type grammarNames struct{ symbols, fields []string }

// grammars holds each grammar's names, read on its first parse. A zero
// sync.Once per slot, not sync.OnceValue closures: nothing to build at init.
var grammars [3]struct {
	once  sync.Once
	names grammarNames
}

func grammarFor(lang C.int) grammarNames {
	g := &grammars[lang]
	g.once.Do(func() { g.names = readNames(lang) })
	return g.names
}

func readNames(lang C.int) grammarNames {
	var g grammarNames
	for i := range int(C.symbol_count(lang)) {
		g.symbols = append(g.symbols, C.GoString(C.symbol_name(lang, C.uint16_t(i))))
	}
	for i := range int(C.field_count(lang)) + 1 { // field ids start at 1
		g.fields = append(g.fields, C.GoString(C.field_name(lang, C.uint16_t(i))))
	}
	return g
}

func (g grammarNames) symbol(id int) string {
	if id < len(g.symbols) {
		return g.symbols[id]
	}
	return "ERROR" // the runtime's built-in error symbols sit past the grammar's own
}

func (g grammarNames) field(id int) string {
	if id < len(g.fields) {
		return g.fields[id]
	}
	return ""
}

// parseJS parses src in one cgo call that returns the tree flattened in
// pre-order, then builds Go nodes from it: a call per node would cost more
// than the parse itself.
func parseJS(ctx context.Context, k kind, src []byte) (*node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(src) == 0 {
		src = []byte{'\n'}
	}
	lang := langCode(k)
	gn := grammarFor(lang)
	csrc := C.CBytes(src)
	defer C.free(csrc)
	var flat *C.flat_node
	var count C.uint32_t
	if C.flat_parse(lang, (*C.char)(csrc), C.uint32_t(len(src)), &flat, &count) != 0 {
		return nil, errors.New("parse failed or timed out")
	}
	defer C.free(unsafe.Pointer(flat))
	recs := unsafe.Slice(flat, int(count))
	lineStarts := []int{0}
	for i, b := range src {
		if b == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	nodes := make([]node, len(recs))
	line := 0
	for i := range recs {
		r := &recs[i]
		start := int(r.start)
		for line > 0 && lineStarts[line] > start {
			line--
		}
		for line+1 < len(lineStarts) && lineStarts[line+1] <= start {
			line++
		}
		end := int(r.end)
		el := sort.SearchInts(lineStarts, end+1) - 1
		n := &nodes[i]
		*n = node{typ: gn.symbol(int(r.symbol)), start: start, end: end,
			line: line + 1, col: start - lineStarts[line] + 1, endLine: el + 1, endCol: end - lineStarts[el] + 1,
			named: r.named != 0}
		if r.field != 0 {
			n.field = gn.field(int(r.field))
		}
		if p := int(r.parent); p >= 0 {
			n.parent = &nodes[p]
			n.parent.kids = append(n.parent.kids, n)
		}
	}
	if len(nodes) == 0 {
		return nil, errors.New("parse produced no tree")
	}
	return &nodes[0], nil
}
