package source

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/truce-monitor/truce"
)

// maxHeaderLines bounds the header of a text report.
const maxHeaderLines = 40

// headerKeys are the keys a text header may set ("date" is read as "published").
var headerKeys = map[string]string{
	"title": "title", "source": "source", "url": "url", "published": "published",
	"date": "published", "language": "language", "lang": "language",
}

// header is the parsed key: value header of a text report.
type header map[string]string

// splitHeader separates an optional header from the body of a text report. A
// header is a run of "key: value" lines at the very start, at least one with
// a known key, ended by a line "---". Without one the whole text is the body.
func splitHeader(s string) (header, string) {
	rest := s
	h := header{}
	known := false
	for n := 0; n <= maxHeaderLines && rest != ""; n++ {
		line, after, _ := strings.Cut(rest, "\n")
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "---" {
			if !known {
				return nil, s
			}
			return h, after
		}
		k, v, ok := strings.Cut(line, ":")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil, s
		}
		if canon, isKnown := headerKeys[k]; isKnown {
			known = true
			h[canon] = strings.TrimSpace(v)
		} else {
			slog.Debug("source: unknown header key ignored", "key", k)
		}
		rest = after
	}
	return nil, s
}

// errHeader marks a header value that cannot be used.
var errHeader = errors.New("bad header")

// readText reads a plain-text report with an optional header.
func readText(data []byte, name string) (truce.Report, error) {
	s, err := decodeUTF8(data, name)
	if err != nil {
		return truce.Report{}, err
	}
	h, body := splitHeader(s)
	rep := truce.Report{
		Title:    collapseSpaces(normalizeChars(h["title"])),
		Source:   collapseSpaces(normalizeChars(h["source"])),
		URL:      strings.TrimSpace(h["url"]),
		Language: normalizeLang(h["language"]),
	}
	if v := h["published"]; v != "" {
		if rep.Published, err = ParseDate(v); err != nil {
			return truce.Report{}, fmt.Errorf("%w: published %q: %w", errHeader, v, err)
		}
	}
	if rep.Text = cleanText(body, rep.Title); rep.Text == "" {
		return truce.Report{}, ErrEmpty
	}
	return rep, nil
}

// normalizeLang reduces a language tag to its lowercased primary subtag ("en-GB" → "en").
func normalizeLang(tag string) string {
	tag = strings.TrimSpace(tag)
	primary, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	primary = strings.ToLower(primary)
	if len(primary) < 2 || len(primary) > 3 {
		return ""
	}
	for _, r := range primary {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return primary
}
