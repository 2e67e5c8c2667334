package source

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var ctx = context.Background()

func TestSeedBoilerplate(t *testing.T) {
	path := seedPath
	reps, err := ReadFile(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := reps[0]
	for _, gone := range []string{"Support SouthFront", "Click to see full-size image", "Frequently Speak Over The Phone", "•", "’", "“"} {
		if strings.Contains(r.Text, gone) {
			t.Errorf("text still contains %q", gone)
		}
	}
	raw, _ := os.ReadFile(path)
	_, body := splitHeader(string(raw))
	for _, p := range paragraphs(body) {
		if endsSentence(p) && !strings.Contains(r.Text, p) {
			t.Errorf("sentence lost: %q", p)
		}
	}
	for _, keep := range []string{
		"The state border passes through the middle of the mine", // a list item without a full stop
		"Deputy chief of the General staff of Armenia Tigran Khachatryan commented:",
	} {
		if !strings.Contains(r.Text, keep) {
			t.Errorf("text lost %q", keep)
		}
	}
	if r.Published != "2020-11-27" || r.Source != "SouthFront" || r.Language != "en" {
		t.Errorf("header = %q %q %q", r.Published, r.Source, r.Language)
	}
	if len(r.Hash) != 64 || r.SimHash == 0 || r.Origin != path {
		t.Errorf("hash %q simhash %x origin %q", r.Hash, r.SimHash, r.Origin)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, file, input string
		opt               Options
		is                error
		contains          []string
	}{
		{name: "empty", file: "a.txt", input: "", is: ErrEmpty},
		{name: "blank", file: "a.txt", input: " \n\t\n", is: ErrEmpty},
		{name: "header only", file: "a.txt", input: "title: T\n---\n\n", is: ErrEmpty},
		{name: "NUL bytes", file: "a.txt", input: "abc\x00def", is: ErrBinary},
		{name: "mostly invalid", file: "a.txt", input: strings.Repeat("\xfa\xfb\xfc", 50) + "ok", is: ErrBinary},
		{name: "binary html", file: "a.html", input: "<p>\x00\x01</p>", is: ErrBinary},
		{name: "binary feed", file: "a.rss", input: "<rss>\x00</rss>", is: ErrBinary},
		{name: "too large", file: "a.txt", input: strings.Repeat("word ", 100), opt: Options{MaxBytes: 64}, is: ErrTooLarge, contains: []string{"64 bytes"}},
		{name: "bad header date", file: "r.txt", input: "title: T\npublished: last Tuesday\n---\nText.", contains: []string{"r.txt", `"last Tuesday"`, "published"}},
		{name: "bad option date", file: "r.txt", input: "Text.", opt: Options{Published: "soon"}, contains: []string{`"soon"`}},
		{name: "bad jsonl line", file: "r.jsonl", input: "{\"text\":\"ok.\"}\n{\"text\": oops}\n", contains: []string{"r.jsonl", "line 2"}},
		{name: "empty jsonl line", file: "r.jsonl", input: "{\"title\":\"x\"}\n", is: ErrEmpty, contains: []string{"line 1"}},
		{name: "bad jsonl date", file: "r.jsonl", input: "{\"text\":\"ok.\",\"published\":\"x\"}\n", contains: []string{"line 1", `"x"`}},
		{name: "malformed feed", file: "r.rss", input: "<rss><channel><item><title>x</ti", contains: []string{"r.rss", "feed"}},
		{name: "not a feed", file: "r.atom", input: "just words", contains: []string{"feed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(ctx, strings.NewReader(tt.input), tt.file, tt.opt)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %q", err, tt.is)
			}
			for _, c := range tt.contains {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("error %q does not mention %q", err, c)
				}
			}
		})
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name, file, input string
		opt               Options
		text              string
		title, published  string
		source, lang      string
	}{
		{name: "plain text, no header", file: "a.txt", input: "One sentence.\n\nTwo sentences.", text: "One sentence.\n\nTwo sentences."},
		{name: "header with written date", file: "a.txt", input: "Title: A B\nPublished: November 27, 2020\nLanguage: en-US\nextra: ignored\n---\nText here.",
			text: "Text here.", title: "A B", published: "2020-11-27", lang: "en"},
		{name: "header RFC 3339", file: "a.txt", input: "published: 2020-11-27T23:30:00+04:00\n---\nText.", text: "Text.", published: "2020-11-27"},
		{name: "not a header: no ---", file: "a.txt", input: "Note: this is text.\nMore text.", text: "Note: this is text.\n\nMore text."},
		{name: "not a header: unknown keys only", file: "a.txt", input: "Q: what?\n---\nA: this.", text: "Q: what?\n\nA: this."},
		{name: "options override", file: "a.txt", input: "source: X\npublished: 2020-01-01\n---\nText.", opt: Options{Published: "2 Feb 2021", Source: "Y"},
			text: "Text.", published: "2021-02-02", source: "Y"},
		{name: "few invalid bytes replaced", file: "a.txt", input: "Caf\xe9 opened on the square today, the mayor said.", text: "Caf\uFFFD opened on the square today, the mayor said."},
		{name: "UTF-8 BOM", file: "a.txt", input: "\xef\xbb\xbfText.", text: "Text."},
		{name: "UTF-16 BOM", file: "a.txt", input: "\xff\xfeH\x00i\x00.\x00", text: "Hi."},
		{name: "sniffed HTML", file: "page", input: "<!doctype html><html lang=de><title>T</title><body><p>Ein Satz.</p></body></html>", text: "Ein Satz.", title: "T", lang: "de"},
		{name: "sniffed JSONL", file: "x", input: "{\"text\":\"Hi.\"}", text: "Hi."},
		{name: "windows-1251 HTML", file: "a.html", input: "<html><head><meta charset=\"windows-1251\"></head><body><p>\xcc\xe8\xf0.</p></body></html>", text: "Мир."},
		{name: "malformed HTML", file: "a.html", input: "<p>Unclosed <b>bold <i>text.</p></div></span>", text: "Unclosed bold text."},
		{name: "title kept when it is all", file: "a.txt", input: "title: Only this\n---\nOnly this", text: "Only this", title: "Only this"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reps, err := Read(ctx, strings.NewReader(tt.input), tt.file, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			r := reps[0]
			if r.Text != tt.text {
				t.Errorf("text = %q, want %q", r.Text, tt.text)
			}
			if r.Title != tt.title || r.Published != tt.published || r.Source != tt.source || r.Language != tt.lang {
				t.Errorf("meta = %q %q %q %q, want %q %q %q %q", r.Title, r.Published, r.Source, r.Language, tt.title, tt.published, tt.source, tt.lang)
			}
		})
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"blank lines", "a b.\n\n\n\nc d.", []string{"a b.", "c d."}},
		{"CRLF and spaces", "  a \u00a0 b. \r\n\r\n c\u2003d. ", []string{"a b.", "c d."}},
		{"quotes and dashes", "\u201cHi\u201d \u2018x\u2019 \u00abq\u00bb 1\u20132 a\u2014b \u22125 non\u2011breaking", []string{"\"Hi\" 'x' \"q\" 1-2 a-b -5 non-breaking"}},
		{"zero width removed", "a\u200bb\ufeffc\u00add", []string{"abcd"}},
		{"NFC", "Cafe\u0301 says.", []string{"Caf\u00e9 says."}},
		{"bullets", "Items:\n• one\n▪two\n- three\n* four\n1. five\n(2) six\n3) seven", []string{"Items:", "one", "two", "three", "four", "five", "six", "seven"}},
		{"not bullets", "-5 degrees\n*emphasis*\n2020 was long", []string{"-5 degrees", "*emphasis*", "2020 was long"}},
		{"hard wrapped", "The mission said that the night passed without any\nshooting along the line, and that patrols went out\nas planned.\nNext paragraph.", []string{"The mission said that the night passed without any shooting along the line, and that patrols went out as planned.", "Next paragraph."}},
		{"one line per paragraph", "14 November 2020\nToday the sides exchanged bodies.\nThe exchange went well.", []string{"14 November 2020", "Today the sides exchanged bodies.", "The exchange went well."}},
		{"punctuation only dropped", "Text.\n\n***\n\n---\n\nMore.", []string{"Text.", "More."}},
		{"paragraph separator", "a.\u2029b.", []string{"a.", "b."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := paragraphs(tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDropBoilerplate(t *testing.T) {
	tests := []struct {
		name  string
		in    []string
		title string
		want  []string
	}{
		{"repeated title anywhere", []string{"Big News: Talks Resume", "Text one.", "big news - talks resume!", "Text two."}, "Big News: Talks Resume", []string{"Text one.", "Text two."}},
		{"short repeated lines", []string{"Photo gallery below", "Text one.", "Photo gallery below", "Text two."}, "", []string{"Text one.", "Text two."}},
		{"repeated sentences kept", []string{"It is calm.", "Text.", "It is calm."}, "", []string{"It is calm.", "Text.", "It is calm."}},
		{"dateline kept", []string{"14 November 2020", "Text.", "Share this article"}, "", []string{"14 November 2020", "Text."}},
		{"edge links and calls", []string{"Home | World | Region", "Subscribe to our newsletter", "Text.", "Read more", "www.example.org", "Follow us @example"}, "", []string{"Text."}},
		{"call words inside text kept", []string{"Text.", "Support for the truce grew"}, "", []string{"Text.", "Support for the truce grew"}},
		{"keeps one paragraph", []string{"Headline"}, "Headline", []string{"Headline"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dropBoilerplate(tt.in, tt.title)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2020-11-27", "2020-11-27"},
		{"2020-11-27T23:30:00+04:00", "2020-11-27"},
		{"2020-11-27T23:30:00.123Z", "2020-11-27"},
		{"27 November 2020", "2020-11-27"},
		{"27th of November, 2020", "2020-11-27"},
		{"November 27, 2020", "2020-11-27"},
		{"Nov 27, 2020", "2020-11-27"},
		{"Friday, November 27, 2020", "2020-11-27"},
		{"Fri, 27 Nov 2020 10:00:00 +0400", "2020-11-27"},
		{"Fri, 27 Nov 2020 10:00:00 GMT", "2020-11-27"},
		{"27.11.2020", "2020-11-27"},
		{"NOVEMBER 27, 2020", "2020-11-27"},
		{"", ""},
		{"yesterday", ""},
		{"2020-13-01", ""},
		{"Support SouthFront", ""},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestKind(t *testing.T) {
	tests := []struct {
		name, file, ct, head string
		want                 kind
	}{
		{"txt", "a.TXT", "", "", kindText},
		{"html ext", "a.htm", "", "", kindHTML},
		{"url ext", "https://x.org/a.rss?x=1", "", "", kindFeed},
		{"jsonl", "a.ndjson", "", "", kindJSONL},
		{"html type", "", "text/html; charset=utf-8", "", kindHTML},
		{"atom type", "", "application/atom+xml", "", kindFeed},
		{"xml sniff feed", "", "", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">", kindFeed},
		{"xml sniff atom", "", "", "<feed xmlns=\"http://www.w3.org/2005/Atom\">", kindFeed},
		{"sniff html", "", "", "<!DOCTYPE html><html>", kindHTML},
		{"sniff json", "", "", "  {\"text\":1}", kindJSONL},
		{"sniff text", "", "", "Hello.", kindText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := kindFromName(tt.file)
			if k == kindUnknown {
				k = kindFromType(tt.ct)
			}
			if k == kindUnknown {
				k = sniff([]byte(tt.head))
			}
			if k != tt.want {
				t.Errorf("kind = %d, want %d", k, tt.want)
			}
		})
	}
}

func TestFetch(t *testing.T) {
	page, _ := os.ReadFile(filepath.Join("testdata", "news.html"))
	rss, _ := os.ReadFile(filepath.Join("testdata", "feed.rss"))
	mux := http.NewServeMux()
	serve := func(path, ct string, body []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			w.Write(body)
		})
	}
	serve("/page", "text/html; charset=utf-8", page)
	serve("/feed", "application/rss+xml", rss)
	serve("/untyped", "application/octet-stream", rss)
	serve("/big", "text/plain", []byte(strings.Repeat("x", 5000)))
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		for range 100 {
			w.Write([]byte(strings.Repeat("y", 100)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusNotFound) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		path    string
		opt     Options
		reports int
		errPart string
	}{
		{path: "/page", reports: 1},
		{path: "/feed", reports: 3},
		{path: "/untyped", reports: 3},
		{path: "/big", opt: Options{MaxBytes: 1000}, errPart: "limit of 1000 bytes"},
		{path: "/stream", opt: Options{MaxBytes: 1000}, errPart: "limit of 1000 bytes"},
		{path: "/gone", errPart: "404"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			reps, err := Fetch(ctx, srv.Client(), srv.URL+tt.path, tt.opt)
			if tt.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errPart) {
					t.Fatalf("error %v, want one with %q", err, tt.errPart)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(reps) != tt.reports {
				t.Fatalf("%d reports, want %d", len(reps), tt.reports)
			}
			if tt.path == "/page" && (reps[0].Source != "Example Ledger" || reps[0].Origin != srv.URL+"/page") {
				t.Errorf("source %q origin %q", reps[0].Source, reps[0].Origin)
			}
		})
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Fetch(cctx, srv.Client(), srv.URL+"/page", Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fetch: %v", err)
	}
}

func TestHTMLMetaFallbacks(t *testing.T) {
	page := `<html><head><title>Ceasefire Holds - The Daily</title>
<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2022-05-04T10:00:00Z","publisher":{"name":"The Daily"}}]}</script>
</head><body><article><h1>Ceasefire Holds</h1><p>The ceasefire held overnight, officials said.</p></article></body></html>`
	reps, err := Read(ctx, strings.NewReader(page), "https://www.daily.example/x.html", Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := reps[0]
	if r.Title != "Ceasefire Holds" || r.Source != "The Daily" || r.Published != "2022-05-04" || r.URL != "https://www.daily.example/x.html" {
		t.Errorf("meta = %+v", r)
	}
	page2 := `<html><body><p>Text of the report, with a <time datetime="2023-01-02">date</time>.</p></body></html>`
	reps, err = Read(ctx, strings.NewReader(page2), "https://www.daily.example/y", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if reps[0].Source != "daily.example" || reps[0].Published != "2023-01-02" {
		t.Errorf("meta = %+v", reps[0])
	}
}
