package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/truce-monitor/truce"
)

func addFiles(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// seedPath is the worked example of the project, wherever the tree keeps it.
var seedPath = func() string {
	for _, p := range []string{
		filepath.Join("..", "testdata", "seed", "sotk-2020-11-27.txt"),
		filepath.Join("..", "data", "examples", "sotk-2020-11-27.txt"),
	} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join("..", "testdata", "seed", "sotk-2020-11-27.txt")
}()

// checkText asserts the invariants of cleaned text that offsets rely on.
func checkText(t *testing.T, text string) {
	t.Helper()
	if !utf8.ValidString(text) {
		t.Fatalf("invalid UTF-8: %q", text)
	}
	if !norm.NFC.IsNormalString(text) {
		t.Fatalf("not NFC: %q", text)
	}
	if text != strings.TrimSpace(text) || strings.Contains(text, "\n\n\n") || strings.Contains(text, "  ") ||
		strings.ContainsAny(text, "\r\t\u00a0\u200b\ufeff\u2018\u2019\u201c\u201d\u2013\u2014\u2212") {
		t.Fatalf("not normalised: %q", text)
	}
	if text == "" {
		return
	}
	off := 0
	for _, p := range strings.Split(text, "\n\n") {
		if p == "" || strings.Contains(p, "\n") || p != strings.TrimSpace(p) {
			t.Fatalf("bad paragraph %q in %q", p, text)
		}
		if text[off:off+len(p)] != p || !utf8.RuneStart(text[off]) {
			t.Fatalf("paragraph offset %d does not hold %q", off, p)
		}
		off += len(p) + 2
	}
}

func FuzzNormalize(f *testing.F) {
	b, _ := os.ReadFile(seedPath)
	f.Add(string(b))
	for _, s := range []string{"", "a\r\nb", "• x\n- y\n1. z", "\u201cq\u201d\u2014\u00a0\u200b", "e\u200b\u0301", "\xff\xfe", "-\n-", "1. 2. 3. x", "(1) (2)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			in = strings.ToValidUTF8(in, "\uFFFD")
		}
		text := cleanText(in, "")
		checkText(t, text)
		if again := cleanText(text, ""); again != text {
			t.Fatalf("not idempotent:\n%q\n%q", text, again)
		}
	})
}

func FuzzHeader(f *testing.F) {
	b, _ := os.ReadFile(seedPath)
	f.Add(string(b))
	for _, s := range []string{"title: x\n---\n", "published: 2020\n---\nx", "a:b\n---", "---\n", ":\n---\n", "title: x\r\n---\r\nbody"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		h, body := splitHeader(in)
		if !strings.HasSuffix(in, body) {
			t.Fatalf("body %q is not a suffix of the input", body)
		}
		if h == nil && body != in {
			t.Fatalf("no header but body changed")
		}
		for k := range h {
			if headerKeys[k] != k {
				t.Fatalf("unexpected key %q", k)
			}
		}
		rep, err := readText([]byte(in), "fuzz.txt")
		if err == nil {
			checkText(t, rep.Text)
			if rep.Text == "" {
				t.Fatal("empty text without error")
			}
		}
	})
}

func checkReport(t *testing.T, r truce.Report) {
	t.Helper()
	checkText(t, r.Text)
	if r.Text == "" {
		t.Fatal("empty text without error")
	}
	if r.Published != "" {
		if _, ok := r.PublishedTime(); !ok {
			t.Fatalf("bad date %q", r.Published)
		}
	}
	for _, s := range []string{r.Title, r.Source, r.Language} {
		if !utf8.ValidString(s) || strings.Contains(s, "\n") {
			t.Fatalf("bad metadata %q", s)
		}
	}
}

func FuzzHTML(f *testing.F) {
	addFiles(f, filepath.Join("testdata", "news.html"))
	for _, s := range []string{"<p>x.</p>", "<html><body><ul><li><a>x</a></li></ul>", "<script type=application/ld+json>{\"@graph\":[[[]]]}</script><p>x</p>", "<", "<meta charset=koi8-r><p>\xc1\xc2</p>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := readHTML(data, "fuzz.html", "")
		if err == nil {
			checkReport(t, rep)
		}
	})
}

func FuzzFeed(f *testing.F) {
	addFiles(f, filepath.Join("testdata", "feed.rss"), filepath.Join("testdata", "feed.atom"))
	for _, s := range []string{"<rss><channel><item><description>x.</description></item></channel></rss>", "<feed><entry><content>x</content></entry></feed>", "<rss", "{}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reps, err := readFeed(ctx, data, "fuzz.rss")
		if err == nil {
			for _, r := range reps {
				checkReport(t, r)
			}
		}
	})
}

func BenchmarkReadText(b *testing.B) {
	data, err := os.ReadFile(seedPath)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := parse(ctx, data, "seed.txt", kindText, "", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadHTML(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "news.html"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := parse(ctx, data, "news.html", kindHTML, "", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
