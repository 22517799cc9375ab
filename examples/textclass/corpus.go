package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// sample is one doc comment and the package family it documents.
type sample struct {
	Text  string
	Label int
	File  string // relative to GOROOT/src, for the split
}

// loadCorpus reads the doc comments of the standard library's packages
// under root (GOROOT/src) whose import path starts with one of families:
// one sample per comment attached to a package clause or a top-level
// declaration (function, method, type, const, var, and the specs of a
// grouped declaration), with at least minWords words. Test files,
// testdata, vendor and internal directories are skipped, so the corpus
// is the documentation of the public API. Files are read in lexical
// order, so the corpus is the same on every run of one Go release.
func loadCorpus(root string, families []string, minWords int) ([]sample, error) {
	var out []sample
	for label, fam := range families {
		dir := filepath.Join(root, filepath.FromSlash(fam))
		var files []string
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				switch d.Name() {
				case "testdata", "vendor", "internal":
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading the %s packages: %w", fam, err)
		}
		slices.Sort(files)
		fset := token.NewFileSet()
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
			if err != nil {
				continue // a file for another platform may not parse alone; skip it
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			for _, text := range docComments(f) {
				if len(strings.Fields(text)) >= minWords {
					out = append(out, sample{Text: text, Label: label, File: rel})
				}
			}
		}
	}
	return out, nil
}

// docComments returns the text of the file's doc comments, in source
// order.
func docComments(f *ast.File) []string {
	var docs []string
	add := func(g *ast.CommentGroup) {
		if g != nil {
			docs = append(docs, g.Text())
		}
	}
	add(f.Doc)
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			add(d.Doc)
		case *ast.GenDecl:
			add(d.Doc)
			if d.Lparen.IsValid() {
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						add(s.Doc)
					case *ast.ValueSpec:
						add(s.Doc)
					}
				}
			}
		}
	}
	return docs
}

// split puts every sample of one file on the same side, so that the
// validation and test sets hold files the model never trained on: with h
// the FNV-1a hash of the file's path, a file is a test file when h%5 is
// 0 (a fifth of the files), a validation file when h%10 is 1 (a tenth),
// and a training file otherwise.
func split(samples []sample) (train, val, test []sample) {
	for _, s := range samples {
		h := fnv.New32a()
		h.Write([]byte(s.File))
		switch v := h.Sum32(); {
		case v%5 == 0:
			test = append(test, s)
		case v%10 == 1:
			val = append(val, s)
		default:
			train = append(train, s)
		}
	}
	return train, val, test
}
