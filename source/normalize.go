package source

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizeChars applies the character rules of cleaned text: NFC, ASCII
// quotes and dashes, one kind of space, no zero-width or control characters,
// and "\n" as the only line break ("\n\n" for a paragraph separator).
// ZWJ and ZWNJ are kept: they are part of the spelling of some scripts.
func normalizeChars(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '\r':
			if i < len(s) && s[i] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case '\n', '\v', '\f', '\u0085', '\u2028':
			b.WriteByte('\n')
		case '\u2029':
			b.WriteString("\n\n")
		case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u2035', '\u2039', '\u203A', '\u02BC', '\uFF07':
			b.WriteByte('\'')
		case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u2036', '\u00AB', '\u00BB', '\u301D', '\u301E', '\uFF02':
			b.WriteByte('"')
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D', '\u2E3A', '\u2E3B':
			b.WriteByte('-')
		case '\u200B', '\u2060', '\uFEFF', '\u00AD', '\u200E', '\u200F', '\u180E':
			// zero-width and invisible marks: removed
		case '\u200C', '\u200D':
			b.WriteRune(r)
		default:
			switch {
			case r == '\t' || unicode.Is(unicode.Zs, r):
				b.WriteByte(' ')
			case unicode.IsControl(r), unicode.Is(unicode.Cf, r) && !unicode.Is(unicode.Arabic, r):
				// other control and format characters: removed
			default:
				b.WriteRune(r)
			}
		}
	}
	return norm.NFC.String(b.String())
}

// bulletGlyphs start a bullet-list item even without a following space.
const bulletGlyphs = "•◦▪▫●○■□‣⁃∙⦁◆◇►▸▹➢➤✓✔·"

// stripBullet removes list markers (glyphs, "- ", "* ", "+ ", "1. ", "1) ",
// "(1) ") from the start of a trimmed line, repeatedly.
func stripBullet(line string) (string, bool) {
	found := false
	for {
		rest, ok := stripOneBullet(line)
		if !ok {
			return line, found
		}
		line, found = rest, true
	}
}

func stripOneBullet(line string) (string, bool) {
	if line == "" {
		return line, false
	}
	r, size := utf8.DecodeRuneInString(line)
	if strings.ContainsRune(bulletGlyphs, r) {
		return strings.TrimLeft(line[size:], " "), true
	}
	if (r == '-' || r == '*' || r == '+') && len(line) > 2 && line[1] == ' ' {
		return strings.TrimLeft(line[2:], " "), true
	}
	// numbered: 1. 1) (1)
	i := 0
	if line[0] == '(' {
		i = 1
	}
	j := i
	for j < len(line) && j-i < 3 && line[j] >= '0' && line[j] <= '9' {
		j++
	}
	if j == i || j+1 >= len(line) {
		return line, false
	}
	switch {
	case i == 1 && line[j] == ')', i == 0 && (line[j] == '.' || line[j] == ')'):
		if line[j+1] == ' ' {
			return strings.TrimLeft(line[j+2:], " "), true
		}
	}
	return line, false
}

// endsSentence reports whether s ends in sentence punctuation, perhaps followed
// by closing quotes or brackets.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"')]} ")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?:;…。！？؟", r)
}

// Hard-wrap heuristic: lines of a block are joined into one paragraph only when
// the block looks hard-wrapped (its longest line has wrapMin to wrapMax runes)
// and the previous line is nearly full and does not end a sentence.
const (
	wrapMin  = 50
	wrapMax  = 100
	wrapFull = 0.6
)

// paragraphs normalises text and splits it into trimmed, single-line
// paragraphs: blank lines separate paragraphs, every list item is its own
// paragraph without its marker, hard-wrapped lines are joined, and paragraphs
// with no letter or digit are dropped.
func paragraphs(text string) []string {
	text = normalizeChars(text)
	var out []string
	for _, block := range strings.Split(text, "\n\n") {
		var lines []string
		maxLen := 0
		for _, l := range strings.Split(block, "\n") {
			l = collapseSpaces(l)
			if l == "" {
				continue
			}
			lines = append(lines, l)
			maxLen = max(maxLen, utf8.RuneCountInString(l))
		}
		cur := ""
		flush := func() {
			if hasAlnum(cur) {
				out = append(out, cur)
			}
			cur = ""
		}
		prev := ""
		for _, l := range lines {
			item, bullet := stripBullet(l)
			join := cur != "" && !bullet && maxLen >= wrapMin && maxLen <= wrapMax &&
				float64(utf8.RuneCountInString(prev)) >= wrapFull*float64(maxLen) && !endsSentence(prev)
			if join {
				cur += " " + item
			} else {
				flush()
				cur = item
			}
			prev = l
		}
		flush()
	}
	return out
}

// collapseSpaces trims s and collapses runs of spaces to one.
func collapseSpaces(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// hasAlnum reports whether s has a letter or a digit.
func hasAlnum(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0
}
