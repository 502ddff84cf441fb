// Package scan reads a partner's source code into the Integration model:
// the HTTP calls it makes, how it builds Basic credentials, the options it
// gives the official SDK, its webhook routes and their middleware order,
// its 429 handling and any credential written into it, each at
// file:line:col. Checks judge what it found; this package judges nothing.
//
// JavaScript and TypeScript are parsed with tree-sitter's grammars (a cgo
// build; a CGO_ENABLED=0 binary reports them unavailable), Go with
// go/parser, Python with a small tokenizer, and shell scripts,
// Dockerfiles, Makefiles, CI workflows and .env files line by line.
package scan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// DefaultMaxFileSize is the largest file read: bigger ones are bundles,
// fixtures or data, not code a partner writes by hand.
const DefaultMaxFileSize = 1 << 20

// Options steer a scan.
type Options struct {
	// MaxFileSize bounds each file; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// MaxFiles bounds the number of files read; 0 means 50,000.
	MaxFiles int
}

// skippedDir reports the directories never entered: dependencies, build
// output and VCS data. (A switch, not a map: nothing built at init.)
func skippedDir(name string) bool {
	switch name {
	case "node_modules", "vendor", ".git", ".hg", ".svn",
		"dist", "build", "out", "coverage", ".next", ".nuxt",
		"bower_components", "jspm_packages", "__pycache__", ".venv",
		"venv", "site-packages", ".terraform", "third_party":
		return true
	}
	return false
}

// kind is the reader a file goes to.
type kind int

const (
	kindNone kind = iota
	kindJS
	kindTS
	kindTSX
	kindGo
	kindPython
	kindShell
	kindDockerfile
	kindMakefile
	kindWorkflow
	kindDotenv
)

// kindOf decides from the name (and, for workflows, the directory).
func kindOf(rel string) kind {
	base := path.Base(rel)
	lower := strings.ToLower(base)
	switch {
	case strings.HasSuffix(lower, ".d.ts"), strings.HasSuffix(lower, ".min.js"), strings.HasSuffix(lower, ".bundle.js"):
		return kindNone
	case strings.HasSuffix(lower, ".ts"), strings.HasSuffix(lower, ".mts"), strings.HasSuffix(lower, ".cts"):
		return kindTS
	case strings.HasSuffix(lower, ".tsx"):
		return kindTSX
	case strings.HasSuffix(lower, ".js"), strings.HasSuffix(lower, ".mjs"), strings.HasSuffix(lower, ".cjs"), strings.HasSuffix(lower, ".jsx"):
		return kindJS
	case strings.HasSuffix(lower, ".go"):
		return kindGo
	case strings.HasSuffix(lower, ".py"):
		return kindPython
	case strings.HasSuffix(lower, ".sh"), strings.HasSuffix(lower, ".bash"), strings.HasSuffix(lower, ".zsh"):
		return kindShell
	case lower == "dockerfile", strings.HasPrefix(lower, "dockerfile."), strings.HasSuffix(lower, ".dockerfile"):
		return kindDockerfile
	case lower == "makefile", lower == "gnumakefile", strings.HasSuffix(lower, ".mk"):
		return kindMakefile
	case lower == ".env", strings.HasPrefix(lower, ".env."), strings.HasSuffix(lower, ".env"):
		return kindDotenv
	case (strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml")) &&
		(strings.Contains(rel, ".github/workflows/") || lower == ".gitlab-ci.yml" || strings.Contains(rel, ".circleci/")):
		return kindWorkflow
	}
	return kindNone
}

// file is one file to read.
type file struct {
	path string // as reported: the root joined with the relative path
	kind kind
}

// Scan reads every source file under roots (files or directories) and
// returns what it found. It respects .gitignore files, skips dependency
// and build directories, generated files and files over the size limit.
func Scan(ctx context.Context, roots []string, opts Options) (*integration.Code, error) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.MaxFiles <= 0 {
		opts.MaxFiles = 50000
	}
	code := &integration.Code{Roots: roots}
	var files []file
	for _, root := range roots {
		fs, skipped, err := collect(root, opts)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
		code.Skipped = append(code.Skipped, skipped...)
		if len(files) > opts.MaxFiles {
			return nil, fmt.Errorf("scan %s: more than %d files; scan a smaller directory", root, opts.MaxFiles)
		}
	}
	// Files are independent: read them on every core, then merge in the
	// walk's order so the result never depends on scheduling.
	parts := make([]*integration.Code, len(files))
	cross := make([]crossFile, len(files))
	errs := make([]error, len(files))
	var next sync.Mutex
	k := 0
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				i := k
				k++
				next.Unlock()
				if i >= len(files) || ctx.Err() != nil {
					return
				}
				parts[i], errs[i] = readFile(ctx, files[i], &cross[i])
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	offsets := make([]int, len(files))
	for i, p := range parts {
		offsets[i] = len(code.Webhooks)
		if errs[i] != nil {
			code.Skipped = append(code.Skipped, fmt.Sprintf("%s: %v", files[i].path, errs[i]))
			continue
		}
		if p == nil {
			continue
		}
		merge(code, p)
	}
	resolveMounts(code, cross, offsets)
	return code, nil
}

func merge(dst, src *integration.Code) {
	dst.Files += src.Files
	dst.Lines += src.Lines
	dst.Calls = append(dst.Calls, src.Calls...)
	dst.SDKOptions = append(dst.SDKOptions, src.SDKOptions...)
	dst.SDKCalls = append(dst.SDKCalls, src.SDKCalls...)
	dst.Webhooks = append(dst.Webhooks, src.Webhooks...)
	dst.BasicBuilds = append(dst.BasicBuilds, src.BasicBuilds...)
	dst.Literals = append(dst.Literals, src.Literals...)
	dst.RateHandlers = append(dst.RateHandlers, src.RateHandlers...)
	dst.ErrorCodeTests = append(dst.ErrorCodeTests, src.ErrorCodeTests...)
}

// ErrUnavailable is returned for files a build cannot parse (JavaScript and
// TypeScript in a CGO_ENABLED=0 build).
var ErrUnavailable = errors.New("not available in this build")

func readFile(ctx context.Context, f file, cross *crossFile) (*integration.Code, error) {
	src, err := os.ReadFile(f.path)
	if err != nil {
		return nil, err
	}
	if generated(src) {
		return nil, nil
	}
	out := &integration.Code{Files: 1, Lines: bytes.Count(src, []byte{'\n'}) + 1}
	switch f.kind {
	case kindJS, kindTS, kindTSX:
		err = scanJS(ctx, f.path, f.kind, src, out, cross)
	case kindGo:
		err = scanGo(f.path, src, out)
	case kindPython:
		scanPython(f.path, src, out)
	case kindShell, kindDockerfile, kindMakefile, kindWorkflow:
		scanShell(f.path, src, out)
	case kindDotenv:
		scanDotenv(f.path, src, out)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// generated reports a file that says it was generated, in its first lines.
func generated(src []byte) bool {
	head := src[:min(len(src), 512)]
	return bytes.Contains(head, []byte("Code generated")) && bytes.Contains(head, []byte("DO NOT EDIT")) ||
		bytes.Contains(head, []byte("@generated")) || bytes.Contains(head, []byte("auto-generated"))
}

// collect walks root and lists the files to read.
func collect(root string, opts Options) ([]file, []string, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, nil, fmt.Errorf("scan %s: %w", root, err)
	}
	if !info.IsDir() {
		k := kindOf(filepath.ToSlash(root))
		if k == kindNone {
			return nil, nil, fmt.Errorf("scan %s: not a file kind the scanner reads (JavaScript, TypeScript, Go, Python, shell, Dockerfile, Makefile, CI workflow, .env)", root)
		}
		if info.Size() > opts.MaxFileSize {
			return nil, []string{fmt.Sprintf("%s: larger than %d bytes", root, opts.MaxFileSize)}, nil
		}
		return []file{{root, k}}, nil, nil
	}
	var files []file
	var skipped []string
	ign := &ignorer{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", p, err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if p != root && (skippedDir(d.Name()) || ign.ignored(rel, true)) {
				return fs.SkipDir
			}
			ign.load(p, rel)
			return nil
		}
		if !d.Type().IsRegular() || ign.ignored(rel, false) {
			return nil
		}
		k := kindOf(rel)
		if k == kindNone {
			return nil
		}
		if fi, err := d.Info(); err == nil && fi.Size() > opts.MaxFileSize {
			skipped = append(skipped, fmt.Sprintf("%s: larger than %d bytes", p, opts.MaxFileSize))
			return nil
		}
		files = append(files, file{p, k})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("scan %s: %w", root, err)
	}
	return files, skipped, nil
}

// ignorer holds the .gitignore patterns met on the way down.
type ignorer struct {
	rules []ignoreRule
}

type ignoreRule struct {
	base    string // directory of the .gitignore, relative to the root ("" at the root)
	pattern string
	negate  bool
	dirOnly bool
	rooted  bool // the pattern has a slash before its end: match from base
}

// load reads dir/.gitignore, if any.
func (ig *ignorer) load(dir, rel string) {
	f, err := os.Open(filepath.Join(dir, ".gitignore"))
	if err != nil {
		return
	}
	defer f.Close()
	if rel == "." {
		rel = ""
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r := ignoreRule{base: rel}
		if strings.HasPrefix(line, "!") {
			r.negate, line = true, line[1:]
		}
		if strings.HasSuffix(line, "/") {
			r.dirOnly, line = true, strings.TrimSuffix(line, "/")
		}
		if strings.Contains(line, "/") {
			r.rooted = true
			line = strings.TrimPrefix(line, "/")
		}
		r.pattern = line
		ig.rules = append(ig.rules, r)
	}
}

// ignored applies the rules in order; the last match wins, as in git.
func (ig *ignorer) ignored(rel string, dir bool) bool {
	out := false
	for _, r := range ig.rules {
		if r.dirOnly && !dir {
			continue
		}
		sub := rel
		if r.base != "" {
			if !strings.HasPrefix(rel, r.base+"/") {
				continue
			}
			sub = rel[len(r.base)+1:]
		}
		if r.matches(sub) {
			out = !r.negate
		}
	}
	return out
}

func (r ignoreRule) matches(sub string) bool {
	if r.rooted {
		return globPath(r.pattern, sub)
	}
	// A pattern without a slash matches the name at any depth.
	return slices.ContainsFunc(strings.Split(sub, "/")[len(strings.Split(sub, "/"))-1:], func(name string) bool {
		ok, _ := path.Match(r.pattern, name)
		return ok
	})
}

// globPath matches a slash pattern where "**" spans any number of segments.
func globPath(pattern, name string) bool {
	ps, ns := strings.Split(pattern, "/"), strings.Split(name, "/")
	var match func(i, j int) bool
	match = func(i, j int) bool {
		for i < len(ps) {
			if ps[i] == "**" {
				for k := j; k <= len(ns); k++ {
					if match(i+1, k) {
						return true
					}
				}
				return false
			}
			if j >= len(ns) {
				return false
			}
			if ok, _ := path.Match(ps[i], ns[j]); !ok {
				return false
			}
			i, j = i+1, j+1
		}
		return j == len(ns)
	}
	return match(0, 0)
}
