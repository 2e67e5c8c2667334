package source

import (
	"bytes"
	"fmt"
	"log/slog"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

// maxInvalidShare is the share of invalid UTF-8 bytes above which input counts as binary.
const maxInvalidShare = 0.10

// decodeUTF8 turns raw bytes into valid UTF-8: a BOM is honoured (UTF-16 is
// decoded), NUL bytes or mostly invalid UTF-8 give ErrBinary, and a few invalid
// bytes are replaced by U+FFFD with a warning.
func decodeUTF8(data []byte, name string) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", fmt.Errorf("decode UTF-16: %w", err)
		}
		data = out
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", fmt.Errorf("%w: contains NUL bytes", ErrBinary)
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	invalid := countInvalid(data)
	if float64(invalid) > maxInvalidShare*float64(len(data)) {
		return "", fmt.Errorf("%w: %d of %d bytes are not UTF-8", ErrBinary, invalid, len(data))
	}
	slog.Warn("source: invalid UTF-8 replaced", "name", name, "bytes", invalid)
	return string(bytes.ToValidUTF8(data, []byte("\uFFFD"))), nil
}

// countInvalid counts the bytes of data that are not part of valid UTF-8 sequences.
func countInvalid(data []byte) int {
	n := 0
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			n++
		}
		data = data[size:]
	}
	return n
}
