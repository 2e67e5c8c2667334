package gazetteer

import (
	"bytes"
	"os"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestDecodeImported checks that the fast reader of imported files reads
// them as the YAML decoder does, and declines anything else.
func TestDecodeImported(t *testing.T) {
	for _, f := range []string{"geonames/testdata/imported-am.golden.yaml", "geonames/testdata/imported-all.golden.yaml"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fast, ok := decodeImported(raw)
		if !ok {
			t.Fatalf("%s: fast decoder declined", f)
		}
		var slow fileDoc
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		if err := dec.Decode(&slow); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%s:\nfast %+v\nyaml %+v", f, fast, slow)
		}
	}
	for _, in := range []string{
		"region: x\nplaces: []\n",
		"# Imported by \"truce gazetteer import\"\nplaces:\n  - id: x\n",
		"# Imported by \"truce gazetteer import\"\nplaces:\n  - {id: x, colour: red}\n",
		"# Imported by \"truce gazetteer import\"\nplaces:\n  - {id: x, names: {en: [\"a\"}\n",
	} {
		if _, ok := decodeImported([]byte(in)); ok {
			t.Errorf("decodeImported(%q) accepted", in)
		}
	}
}
