package source

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/mmcdole/gofeed"

	"github.com/truce-monitor/truce"
)

// readFeed reads an RSS or Atom feed: one report per item with text. Paragraphs
// that repeat across many items of the feed are dropped as boilerplate.
func readFeed(ctx context.Context, data []byte, name string) ([]truce.Report, error) {
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, fmt.Errorf("%w: contains NUL bytes", ErrBinary)
	}
	feed, err := parseFeed(data)
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	source := clean1(feed.Title)
	if source == "" {
		source = hostName(feed.Link)
	}
	lang := normalizeLang(feed.Language)
	var (
		reps  []truce.Report
		texts [][]string
	)
	for i, it := range feed.Items {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if it == nil {
			continue
		}
		rep := truce.Report{
			Title:    clean1(htmlFragmentText(it.Title)),
			Source:   source,
			URL:      strings.TrimSpace(it.Link),
			Language: lang,
			Origin:   name + "#item-" + strconv.Itoa(i+1),
		}
		if g := strings.TrimSpace(it.GUID); g != "" {
			rep.Origin = g
		}
		if rep.Source == "" {
			rep.Source = hostName(rep.URL)
		}
		rep.Published = itemDate(it)
		body := it.Content
		if strings.TrimSpace(body) == "" {
			body = it.Description
		}
		paras := dropBoilerplate(paragraphs(htmlFragmentText(body)), rep.Title)
		if len(paras) == 0 {
			slog.Warn("source: feed item without text skipped", "name", name, "item", i+1, "title", rep.Title)
			continue
		}
		reps = append(reps, rep)
		texts = append(texts, paras)
	}
	if len(reps) == 0 {
		return nil, ErrEmpty
	}
	for i, paras := range dropRepeatedAcross(texts) {
		reps[i].Text = strings.Join(paras, "\n\n")
	}
	return reps, nil
}

// parseFeed runs gofeed, turning a panic in it into an error.
func parseFeed(data []byte) (feed *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("malformed feed: %v", r)
		}
	}()
	return gofeed.NewParser().Parse(bytes.NewReader(data))
}

// itemDate returns the publication date of a feed item as YYYY-MM-DD, or "".
func itemDate(it *gofeed.Item) string {
	switch {
	case it.PublishedParsed != nil:
		return it.PublishedParsed.Format(truce.DateLayout)
	case it.UpdatedParsed != nil:
		return it.UpdatedParsed.Format(truce.DateLayout)
	}
	for _, s := range []string{it.Published, it.Updated} {
		if d, err := ParseDate(s); err == nil {
			return d
		}
	}
	return ""
}
