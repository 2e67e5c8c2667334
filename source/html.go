package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/truce-monitor/truce"
)

// readHTML reads an HTML page: metadata from the head, main text by readability.
func readHTML(data []byte, name, contentType string) (truce.Report, error) {
	s, err := decodeHTML(data, name, contentType)
	if err != nil {
		return truce.Report{}, err
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return truce.Report{}, fmt.Errorf("parse HTML: %w", err)
	}
	var pageURL *url.URL
	if isWebURL(name) {
		pageURL, _ = url.Parse(name)
	}
	m := readMeta(doc, pageURL)
	rep := truce.Report{
		Title:     m.title,
		Source:    m.site,
		URL:       m.url,
		Published: m.published,
		Language:  m.lang,
	}
	body := findElement(doc, "body")
	if body == nil {
		body = doc
	}
	preClean(body)
	raw := mainText(doc, pageURL)
	if !hasAlnum(raw) {
		raw = renderText(body)
	}
	if rep.Text = cleanText(raw, rep.Title); rep.Text == "" {
		return truce.Report{}, ErrEmpty
	}
	return rep, nil
}

// mainText returns the text of the content readability selects, or "".
// A panic inside the third-party parser is logged and treated as no result.
func mainText(doc *html.Node, pageURL *url.URL) (text string) {
	defer func() {
		if r := recover(); r != nil {
			slog.Warn("source: readability failed", "panic", r)
			text = ""
		}
	}()
	art, err := readability.FromDocument(doc, pageURL)
	if err != nil || art.Node == nil {
		return ""
	}
	return renderText(art.Node)
}

// htmlFragmentText turns an HTML fragment (a feed item, a JSON field) into raw
// text; input without markup is taken as text.
func htmlFragmentText(s string) string {
	if !strings.Contains(s, "<") {
		return html.UnescapeString(s)
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return html.UnescapeString(s)
	}
	if looksLikePage(s) {
		if t := mainText(doc, nil); hasAlnum(t) {
			return t
		}
	}
	body := findElement(doc, "body")
	if body == nil {
		body = doc
	}
	preClean(body)
	return renderText(body)
}

// looksLikePage reports whether s is a whole HTML document rather than a fragment.
func looksLikePage(s string) bool {
	head := strings.ToLower(s[:min(len(s), 1024)])
	return strings.Contains(head, "<html") || strings.Contains(head, "<body")
}

// decodeHTML converts an HTML page to UTF-8, honouring a declared charset
// (Content-Type or meta) when the bytes are not already UTF-8.
func decodeHTML(data []byte, name, contentType string) (string, error) {
	if bytes.IndexByte(data, 0) >= 0 && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return "", fmt.Errorf("%w: contains NUL bytes", ErrBinary)
	}
	if !utf8.Valid(data) {
		head := bytes.ToLower(data[:min(len(data), 1024)])
		if strings.Contains(strings.ToLower(contentType), "charset") || bytes.Contains(head, []byte("charset")) ||
			bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
			enc, encName, _ := charset.DetermineEncoding(data, contentType)
			if encName != "utf-8" {
				out, err := enc.NewDecoder().Bytes(data)
				if err != nil {
					return "", fmt.Errorf("decode %s: %w", encName, err)
				}
				data = out
			}
		}
	}
	return decodeUTF8(data, name)
}

// findElement returns the first element named tag in document order.
func findElement(n *html.Node, tag string) *html.Node {
	if n.Type == html.ElementNode && n.Data == tag {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, tag); f != nil {
			return f
		}
	}
	return nil
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, name) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, name) {
			return true
		}
	}
	return false
}

// droppedTags are elements that never hold report text.
var droppedTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "iframe": true, "object": true,
	"embed": true, "svg": true, "canvas": true, "nav": true, "aside": true, "footer": true, "form": true,
	"figure": true, "figcaption": true, "button": true, "select": true, "input": true, "textarea": true,
	"dialog": true, "menu": true, "video": true, "audio": true, "picture": true, "map": true, "head": true,
}

// droppedRoles are ARIA roles of page furniture.
var droppedRoles = map[string]bool{
	"navigation": true, "contentinfo": true, "complementary": true, "search": true, "menu": true,
	"menubar": true, "dialog": true, "alertdialog": true, "banner": true, "toolbar": true,
}

// maxLinkDensity is the share of an element's text inside links above which
// the element is link furniture (menus, related-links lists, tag clouds).
const maxLinkDensity = 0.5

// preClean removes page furniture from the tree under n: furniture elements
// and roles, hidden elements, and elements whose text is mostly links.
func preClean(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.CommentNode {
			n.RemoveChild(c)
		} else if c.Type == html.ElementNode {
			if isFurniture(c) {
				n.RemoveChild(c)
			} else {
				preClean(c)
				if isLinkList(c) {
					n.RemoveChild(c)
				}
			}
		}
		c = next
	}
}

func isFurniture(n *html.Node) bool {
	if droppedTags[n.Data] || droppedRoles[strings.ToLower(attr(n, "role"))] || hasAttr(n, "hidden") {
		return true
	}
	if strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	style := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

// linkCheckedTags are the elements tested for link density.
var linkCheckedTags = map[string]bool{
	"ul": true, "ol": true, "li": true, "div": true, "section": true, "p": true, "table": true,
	"dl": true, "header": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
}

// isLinkList reports whether n is mostly links. A paragraph that reads as a
// sentence (ends in sentence punctuation) is kept unless it is all links.
func isLinkList(n *html.Node) bool {
	if !linkCheckedTags[n.Data] {
		return false
	}
	total, linked := textLen(n, false)
	if total == 0 {
		return false
	}
	d := float64(linked) / float64(total)
	if n.Data == "p" && endsSentence(strings.TrimSpace(innerText(n))) {
		return d > 0.9
	}
	return d > maxLinkDensity
}

// textLen counts the non-space runes under n and those inside links.
func textLen(n *html.Node, inLink bool) (total, linked int) {
	if n.Type == html.TextNode {
		for _, r := range n.Data {
			if r > ' ' {
				total++
			}
		}
		if inLink {
			linked = total
		}
		return total, linked
	}
	inLink = inLink || (n.Type == html.ElementNode && n.Data == "a")
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l := textLen(c, inLink)
		total += t
		linked += l
	}
	return total, linked
}

// innerText concatenates the text under n, leaving out nested scripts and styles.
func innerText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
			if c.Type == html.ElementNode && c.Data != "script" && c.Data != "style" {
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// blockTags are elements that start and end a paragraph of text.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "body": true, "center": true,
	"dd": true, "details": true, "dialog": true, "dir": true, "div": true, "dl": true, "dt": true,
	"fieldset": true, "figcaption": true, "figure": true, "footer": true, "form": true, "h1": true,
	"h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hgroup": true,
	"hr": true, "li": true, "main": true, "menu": true, "nav": true, "ol": true, "p": true, "pre": true,
	"section": true, "summary": true, "table": true, "tbody": true, "thead": true, "tfoot": true,
	"tr": true, "ul": true, "caption": true, "html": true,
}

// renderText renders the text under n: a blank line around block elements, a
// line break for <br>, spaces between table cells; markup-only elements skipped.
func renderText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, pre bool) {
		switch n.Type {
		case html.TextNode:
			if pre {
				b.WriteString(n.Data)
				return
			}
			for _, r := range n.Data {
				if r == '\n' || r == '\r' || r == '\t' || r == '\f' {
					r = ' '
				}
				b.WriteRune(r)
			}
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas":
				return
			case "br":
				b.WriteByte('\n')
				return
			case "td", "th":
				b.WriteByte(' ')
			}
		case html.CommentNode, html.DoctypeNode:
			return
		}
		block := n.Type == html.ElementNode && blockTags[n.Data]
		if block {
			b.WriteString("\n\n")
		}
		pre = pre || (n.Type == html.ElementNode && n.Data == "pre")
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, pre)
		}
		if block {
			b.WriteString("\n\n")
		}
	}
	walk(n, false)
	return b.String()
}

// pageMeta is what the head and markup of a page say about it.
type pageMeta struct {
	title, site, url, published, lang string
}

// readMeta reads title, outlet, canonical URL, date and language from a page.
func readMeta(doc *html.Node, pageURL *url.URL) pageMeta {
	metas := map[string]string{}
	var (
		titleTag, h1, canonical, lang, timeAttr string
		ld                                      []any
	)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "html":
				if lang == "" {
					lang = attr(n, "lang")
				}
				if lang == "" {
					lang = attr(n, "xml:lang")
				}
			case "meta":
				k := strings.ToLower(attr(n, "property"))
				if k == "" {
					k = strings.ToLower(attr(n, "name"))
				}
				if k == "" {
					k = strings.ToLower(attr(n, "itemprop"))
				}
				if k == "" {
					k = strings.ToLower(attr(n, "http-equiv"))
				}
				if v := strings.TrimSpace(attr(n, "content")); k != "" && v != "" {
					if _, dup := metas[k]; !dup {
						metas[k] = v
					}
				}
			case "title":
				if titleTag == "" {
					titleTag = innerText(n)
				}
			case "h1":
				if h1 == "" {
					h1 = innerText(n)
				}
			case "link":
				if canonical == "" && strings.EqualFold(attr(n, "rel"), "canonical") {
					canonical = attr(n, "href")
				}
			case "time":
				if v := attr(n, "datetime"); v != "" && (timeAttr == "" || hasAttr(n, "pubdate")) {
					timeAttr = v
				}
			case "script":
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
					var v any
					if err := json.Unmarshal([]byte(innerText(n)), &v); err == nil {
						ld = append(ld, v)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)

	ldGet := func(field string) string {
		for _, v := range ld {
			if s := findJSON(v, field, 0); s != "" {
				return s
			}
		}
		return ""
	}
	m := pageMeta{}
	m.site = clean1(first(metas["og:site_name"], metas["application-name"], ldPublisher(ld)))
	if m.site == "" && pageURL != nil {
		m.site = hostName(pageURL.String())
	}
	m.title = clean1(first(metas["og:title"], metas["twitter:title"], ldGet("headline"), titleTag, h1))
	m.title = stripSiteSuffix(m.title, m.site)
	for _, d := range []string{
		metas["article:published_time"], ldGet("datePublished"), metas["datepublished"],
		metas["citation_publication_date"], metas["dc.date.issued"], metas["dcterms.issued"],
		metas["dc.date"], metas["pubdate"], metas["publishdate"], metas["date"], timeAttr,
	} {
		if d == "" {
			continue
		}
		if p, err := ParseDate(d); err == nil {
			m.published = p
			break
		}
		slog.Debug("source: unparsed page date", "value", d)
	}
	m.lang = normalizeLang(first(lang, metas["content-language"], metas["og:locale"], metas["language"]))
	for _, u := range []string{canonical, metas["og:url"]} {
		if u == "" {
			continue
		}
		ref, err := url.Parse(strings.TrimSpace(u))
		if err != nil {
			continue
		}
		if pageURL != nil {
			ref = pageURL.ResolveReference(ref)
		}
		if isWebURL(ref.String()) {
			m.url = ref.String()
			break
		}
	}
	if m.url == "" && pageURL != nil {
		m.url = pageURL.String()
	}
	if m.site == "" {
		m.site = hostName(m.url)
	}
	return m
}

// findJSON returns the first string value of field in a JSON-LD tree.
func findJSON(v any, field string, depth int) string {
	if depth > 8 {
		return ""
	}
	switch t := v.(type) {
	case map[string]any:
		if s, ok := t[field].(string); ok && s != "" {
			return s
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if s := findJSON(t[k], field, depth+1); s != "" {
				return s
			}
		}
	case []any:
		for _, e := range t {
			if s := findJSON(e, field, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldPublisher returns the publisher name of the first JSON-LD object that has one.
func ldPublisher(ld []any) string {
	var pub func(v any, depth int) string
	pub = func(v any, depth int) string {
		if depth > 8 {
			return ""
		}
		switch t := v.(type) {
		case map[string]any:
			if p, ok := t["publisher"].(map[string]any); ok {
				if s, ok := p["name"].(string); ok {
					return s
				}
			}
			return pub(t["@graph"], depth+1)
		case []any:
			for _, e := range t {
				if s := pub(e, depth+1); s != "" {
					return s
				}
			}
		}
		return ""
	}
	for _, v := range ld {
		if s := pub(v, 0); s != "" {
			return s
		}
	}
	return ""
}

// stripSiteSuffix removes the outlet's name from the end or start of a page title ("Headline | Outlet").
func stripSiteSuffix(title, site string) string {
	if site == "" {
		return title
	}
	sk := key(site)
	for _, sep := range []string{" | ", " - ", " :: ", " • ", " · "} {
		if i := strings.LastIndex(title, sep); i > 0 && key(title[i+len(sep):]) == sk {
			return strings.TrimSpace(title[:i])
		}
		if i := strings.Index(title, sep); i > 0 && key(title[:i]) == sk {
			return strings.TrimSpace(title[i+len(sep):])
		}
	}
	return title
}

// first returns the first non-blank string.
func first(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// clean1 normalises a one-line metadata value.
func clean1(s string) string {
	return collapseSpaces(strings.ReplaceAll(normalizeChars(s), "\n", " "))
}
