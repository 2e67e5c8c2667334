// Package fusetest helps tests fuse a corpus of reports whose own
// sources.yaml grades its outlets: the bundled source registry with the
// corpus's grading laid over it, entry by entry.
package fusetest

import (
	"fmt"
	"os"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/gazetteer"
)

// Registry returns the bundled source registry merged with the one in dir.
func Registry(dir string) (*fuse.Registry, error) {
	reg, err := fuse.LoadSources(data.Bundled())
	if err != nil {
		return nil, err
	}
	over, err := fuse.LoadSources(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("fusetest: %s: %w", dir, err)
	}
	if err := reg.Merge(over); err != nil {
		return nil, fmt.Errorf("fusetest: %s: %w", dir, err)
	}
	return reg, nil
}

// NewFuser returns a constructor, as ingest.Pipeline.NewFuser wants, of fusers
// using Registry(dir) and the gazetteer gz.
func NewFuser(dir string, gz *gazetteer.Gazetteer) func() (*fuse.Fuser, error) {
	return func() (*fuse.Fuser, error) {
		reg, err := Registry(dir)
		if err != nil {
			return nil, err
		}
		return fuse.New(reg, gz, fuse.Options{}), nil
	}
}
