package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/simhash"
)

// DefaultMaxBytes is the input size limit used when Options.MaxBytes is zero.
const DefaultMaxBytes = 32 << 20

// Errors callers may test for with errors.Is.
var (
	// ErrBinary reports input that is not text: NUL bytes or mostly invalid UTF-8.
	ErrBinary = errors.New("binary input")
	// ErrEmpty reports input with no text left to read.
	ErrEmpty = errors.New("empty report")
	// ErrTooLarge reports input over Options.MaxBytes.
	ErrTooLarge = errors.New("input too large")
)

// Options tune how reports are read.
type Options struct {
	// MaxBytes limits the size of one input; 0 means DefaultMaxBytes.
	MaxBytes int64
	// Published overrides the date found in the input (any accepted date form).
	Published string
	// Source overrides the outlet found in the input.
	Source string
}

func (o Options) max() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// kind is the format of an input.
type kind int

const (
	kindUnknown kind = iota
	kindText
	kindHTML
	kindFeed
	kindJSONL
)

// ReadFile reads the reports in the file at path.
func ReadFile(ctx context.Context, path string, opt Options) ([]truce.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > opt.max() {
		return nil, fmt.Errorf("source: %s: %w: %d bytes, over the limit of %d bytes", path, ErrTooLarge, st.Size(), opt.max())
	}
	return Read(ctx, f, path, opt)
}

// Read reads the reports in r; name (a path or URL) gives the format by its
// extension and becomes the reports' Origin.
func Read(ctx context.Context, r io.Reader, name string, opt Options) ([]truce.Report, error) {
	data, err := readLimited(r, name, opt.max())
	if err != nil {
		return nil, err
	}
	return parse(ctx, data, name, kindFromName(name), "", opt)
}

// Fetch downloads url with client (http.DefaultClient when nil) and reads the reports in it.
func Fetch(ctx context.Context, client *http.Client, rawURL string, opt Options) ([]truce.Report, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("source: fetch %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", "truce (+https://github.com/truce-monitor/truce)")
	req.Header.Set("Accept", "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("source: fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("source: fetch %s: status %s", rawURL, resp.Status)
	}
	name := rawURL
	if resp.Request != nil && resp.Request.URL != nil {
		name = resp.Request.URL.String()
	}
	if resp.ContentLength > opt.max() {
		return nil, fmt.Errorf("source: %s: %w: %d bytes, over the limit of %d bytes", name, ErrTooLarge, resp.ContentLength, opt.max())
	}
	data, err := readLimited(resp.Body, name, opt.max())
	if err != nil {
		return nil, err
	}
	ct := resp.Header.Get("Content-Type")
	k := kindFromType(ct)
	if k == kindUnknown {
		if u, err := url.Parse(name); err == nil {
			k = kindFromName(u.Path)
		}
	}
	return parse(ctx, data, name, k, ct, opt)
}

// readLimited reads all of r, failing as soon as it exceeds max bytes.
func readLimited(r io.Reader, name string, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("source: read %s: %w", name, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("source: %s: %w: over the limit of %d bytes", name, ErrTooLarge, max)
	}
	return data, nil
}

// parse dispatches data to the reader of its kind and finishes the reports.
func parse(ctx context.Context, data []byte, name string, k kind, contentType string, opt Options) ([]truce.Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("source: %s: %w", name, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("source: %s: %w", name, ErrEmpty)
	}
	if k == kindUnknown {
		k = sniff(data)
	}
	var (
		reps []truce.Report
		err  error
	)
	switch k {
	case kindHTML:
		var rep truce.Report
		rep, err = readHTML(data, name, contentType)
		reps = []truce.Report{rep}
	case kindFeed:
		reps, err = readFeed(ctx, data, name)
	case kindJSONL:
		reps, err = readJSONL(ctx, data, name)
	default:
		var rep truce.Report
		rep, err = readText(data, name)
		reps = []truce.Report{rep}
	}
	if err != nil {
		return nil, fmt.Errorf("source: %s: %w", name, err)
	}
	published := ""
	if opt.Published != "" {
		if published, err = ParseDate(opt.Published); err != nil {
			return nil, fmt.Errorf("source: %s: option published %q: %w", name, opt.Published, err)
		}
	}
	for i := range reps {
		if published != "" {
			reps[i].Published = published
		}
		if opt.Source != "" {
			reps[i].Source = opt.Source
		}
		if reps[i].Origin == "" {
			reps[i].Origin = name
		}
		finish(&reps[i])
	}
	return reps, nil
}

// finish sets the content fingerprints of a report from its text.
func finish(r *truce.Report) {
	sum := sha256.Sum256([]byte(r.Text))
	r.Hash = hex.EncodeToString(sum[:])
	r.SimHash = simhash.Of(r.Text)
}

// kindFromName gives the kind of an input by its file extension.
func kindFromName(name string) kind {
	if i := strings.IndexAny(name, "?#"); i >= 0 && strings.Contains(name, "://") {
		name = name[:i]
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".text", ".md":
		return kindText
	case ".html", ".htm", ".xhtml", ".shtml":
		return kindHTML
	case ".rss", ".atom":
		return kindFeed
	case ".jsonl", ".ndjson":
		return kindJSONL
	}
	return kindUnknown
}

// kindFromType gives the kind of an input by its HTTP Content-Type.
func kindFromType(ct string) kind {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return kindUnknown
	}
	switch mt {
	case "text/html", "application/xhtml+xml":
		return kindHTML
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml":
		return kindFeed
	case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines":
		return kindJSONL
	}
	return kindUnknown
}

// sniff guesses the kind of an input from its first bytes.
func sniff(data []byte) kind {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	head = bytes.ToLower(bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))))
	switch {
	case len(head) == 0:
		return kindText
	case head[0] == '{':
		return kindJSONL
	case head[0] != '<':
		return kindText
	}
	for _, tag := range []string{"<rss", "<feed", "<rdf:rdf"} {
		if bytes.Contains(head, []byte(tag)) {
			return kindFeed
		}
	}
	return kindHTML
}

// hostName returns the host of a URL without a leading "www.", or "".
func hostName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// isWebURL reports whether s is an absolute http(s) URL.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
