//go:build cgo

package scan

import (
	"context"
	"fmt"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/javascript"
	"github.com/smacker/go-tree-sitter/typescript/tsx"
	"github.com/smacker/go-tree-sitter/typescript/typescript"
)

// JSAvailable reports whether this build parses JavaScript and TypeScript.
const JSAvailable = true

func language(k kind) *sitter.Language {
	switch k {
	case kindTS:
		return typescript.GetLanguage()
	case kindTSX:
		return tsx.GetLanguage()
	}
	// JSX is part of tree-sitter's JavaScript grammar.
	return javascript.GetLanguage()
}

// parseJS parses src and copies the tree into Go values: the analysis
// walks it many times, and each step over a cgo node costs a call.
func parseJS(ctx context.Context, k kind, src []byte) (*node, error) {
	p := sitter.NewParser()
	defer p.Close()
	p.SetLanguage(language(k))
	tree, err := p.ParseCtx(ctx, nil, src)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	root := tree.RootNode()
	c := sitter.NewTreeCursor(root)
	defer c.Close()
	types := map[sitter.Symbol]string{}
	conv := func(n *sitter.Node, field string, parent *node) *node {
		sym := n.Symbol()
		t, ok := types[sym]
		if !ok {
			t = n.Type()
			types[sym] = t
		}
		sp := n.StartPoint()
		return &node{typ: t, field: field, start: int(n.StartByte()), end: int(n.EndByte()),
			line: int(sp.Row) + 1, col: int(sp.Column) + 1, named: n.IsNamed(), parent: parent, isErr: n.IsError() || n.IsMissing()}
	}
	top := conv(c.CurrentNode(), "", nil)
	cur := top
	// Iterative pre-order walk with the cursor.
	for {
		if c.GoToFirstChild() {
			ch := conv(c.CurrentNode(), c.CurrentFieldName(), cur)
			cur.kids = append(cur.kids, ch)
			cur = ch
			continue
		}
		for {
			if c.GoToNextSibling() {
				ch := conv(c.CurrentNode(), c.CurrentFieldName(), cur.parent)
				cur.parent.kids = append(cur.parent.kids, ch)
				cur = ch
				break
			}
			if !c.GoToParent() {
				return top, nil
			}
			cur = cur.parent
		}
	}
}
