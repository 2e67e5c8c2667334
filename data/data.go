// Package data holds truce's bundled data files (lexicon, gazetteer,
// vocabulary, agreements) embedded in the binary, and lets a user's folder
// override them file by file.
package data

import (
	"embed"
	"errors"
	"io/fs"
	"os"
)

//go:embed lexicon gazetteer agreements sources.yaml
var bundled embed.FS

//go:embed examples
var examples embed.FS

// Bundled returns the data files shipped with truce.
func Bundled() fs.FS { return bundled }

// Examples returns the example reports shipped with truce, under examples/.
func Examples() fs.FS { return examples }

// Open returns the bundled data with the files of dir laid over it: a file in
// dir replaces the bundled file of the same path, and new files are added.
// An empty dir returns the bundled data alone.
func Open(dir string) (fs.FS, error) {
	if dir == "" {
		return bundled, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: errors.New("not a directory")}
	}
	return overlay{top: os.DirFS(dir), base: bundled}, nil
}

// overlay is a file system that reads from top first and from base otherwise.
type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		st, serr := f.Stat()
		if serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	}
	return o.base.Open(name)
}

// ReadDir merges the entries of both layers, top first.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, layer := range []fs.FS{o.top, o.base} {
		ents, err := fs.ReadDir(layer, name)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if len(out) == 0 {
		if _, err := fs.Stat(o.base, name); err != nil {
			if _, err2 := fs.Stat(o.top, name); err2 != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
