package gazetteer

import (
	"bytes"
	"strconv"
)

// importMarker starts the files written by "truce gazetteer import".
var importMarker = []byte("# Imported by \"truce gazetteer import\"")

// decodeImported reads a file written by the GeoNames import (one flow
// mapping per place and line, strings quoted as Go quotes them) about ten
// times faster than the YAML decoder. It returns ok false for anything else
// (a file edited by hand), which is then read as YAML.
func decodeImported(raw []byte) (doc fileDoc, ok bool) {
	if !bytes.HasPrefix(raw, importMarker) {
		return doc, false
	}
	section := ""
	for len(raw) > 0 {
		var line []byte
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			line, raw = raw, nil
		}
		switch {
		case len(line) == 0 || line[0] == '#':
		case bytes.HasPrefix(line, []byte("region: ")):
			s, err := strconv.Unquote(string(line[len("region: "):]))
			if err != nil {
				return doc, false
			}
			doc.Region = s
		case bytes.HasPrefix(line, []byte("licence: ")):
			s, err := strconv.Unquote(string(line[len("licence: "):]))
			if err != nil {
				return doc, false
			}
			doc.Licence = s
		case string(line) == "places:" || string(line) == "more_names:":
			section = string(line)
		case section == "places:" && string(line) == "  []":
		case section == "places:" && bytes.HasPrefix(line, []byte("  - {")):
			e, ok := parseFlowEntry(line[4:])
			if !ok {
				return doc, false
			}
			doc.Places = append(doc.Places, e)
		case section == "more_names:" && bytes.HasPrefix(line, []byte("  ")):
			id, rest, found := bytes.Cut(line[2:], []byte(": "))
			if !found {
				return doc, false
			}
			p := &flowParser{s: rest}
			names, ok := p.groups()
			if !ok || !p.end() {
				return doc, false
			}
			if doc.MoreNames == nil {
				doc.MoreNames = map[string]map[string][]string{}
			}
			doc.MoreNames[string(id)] = names
		default:
			return doc, false
		}
	}
	return doc, true
}

// flowParser reads the YAML flow subset the importer writes.
type flowParser struct {
	s []byte
	i int
}

func (p *flowParser) end() bool { return p.i == len(p.s) }

func (p *flowParser) eat(c byte) bool {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// scalar reads a quoted string or a bare word up to , } ] or :.
func (p *flowParser) scalar() (string, bool) {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
	if p.i < len(p.s) && p.s[p.i] == '"' {
		j := p.i + 1
		for j < len(p.s) && p.s[j] != '"' {
			if p.s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(p.s) {
			return "", false
		}
		s, err := strconv.Unquote(string(p.s[p.i : j+1]))
		p.i = j + 1
		return s, err == nil
	}
	j := p.i
	for j < len(p.s) && p.s[j] != ',' && p.s[j] != '}' && p.s[j] != ']' && p.s[j] != ':' {
		j++
	}
	if j == p.i {
		return "", false
	}
	s := string(bytes.TrimSpace(p.s[p.i:j]))
	p.i = j
	return s, true
}

// groups reads {key: ["a", "b"], ...}.
func (p *flowParser) groups() (map[string][]string, bool) {
	if !p.eat('{') {
		return nil, false
	}
	m := map[string][]string{}
	for !p.eat('}') {
		k, ok := p.scalar()
		if !ok || !p.eat(':') || !p.eat('[') {
			return nil, false
		}
		var vs []string
		for !p.eat(']') {
			v, ok := p.scalar()
			if !ok {
				return nil, false
			}
			vs = append(vs, v)
			p.eat(',')
		}
		m[k] = vs
		p.eat(',')
	}
	return m, true
}

// parseFlowEntry reads {id: x, kind: y, ..., names: {...}} into an entry.
func parseFlowEntry(line []byte) (entry, bool) {
	var e entry
	p := &flowParser{s: line}
	if !p.eat('{') {
		return e, false
	}
	for !p.eat('}') {
		k, ok := p.scalar()
		if !ok || !p.eat(':') {
			return e, false
		}
		if k == "names" {
			if e.Names, ok = p.groups(); !ok {
				return e, false
			}
			p.eat(',')
			continue
		}
		v, ok := p.scalar()
		if !ok {
			return e, false
		}
		var err error
		switch k {
		case "id":
			e.ID = v
		case "kind":
			e.Kind = v
		case "precision":
			e.Precision = v
		case "country":
			e.Country = v
		case "de_facto":
			e.DeFacto = v
		case "parent":
			e.Parent = v
		case "source":
			e.Source = v
		case "note":
			e.Note = v
		case "feature":
			e.Feature = v
		case "admin":
			e.Admin = v
		case "lat", "lon":
			var f float64
			if f, err = strconv.ParseFloat(v, 64); err == nil {
				if k == "lat" {
					e.Lat = &f
				} else {
					e.Lon = &f
				}
			}
		case "geonames":
			e.GeoNames, err = strconv.Atoi(v)
		case "population":
			e.Population, err = strconv.Atoi(v)
		default:
			return e, false
		}
		if err != nil {
			return e, false
		}
		p.eat(',')
	}
	return e, p.end() || len(bytes.TrimSpace(line[p.i:])) == 0
}
