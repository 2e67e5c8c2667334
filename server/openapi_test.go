package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
)

// openAPI is the part of the OpenAPI document the test reads.
type openAPI struct {
	OpenAPI    string                                 `json:"openapi"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		Parameters map[string]openAPIParam `json:"parameters"`
	} `json:"components"`
}

type openAPIOperation struct {
	Parameters []openAPIParam             `json:"parameters"`
	Responses  map[string]json.RawMessage `json:"responses"`
}

type openAPIParam struct {
	Ref  string `json:"$ref"`
	Name string `json:"name"`
	In   string `json:"in"`
}

// TestOpenAPIMatchesRoutes checks that every documented path and method is
// routed, that every route is documented, and that their query parameters agree.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc openAPI
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	fx := newFixture(t, Options{})
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			method = strings.ToUpper(method)
			key := method + " " + path
			documented[key] = true
			target := strings.ReplaceAll(path, "{id}", "1")
			rec := do(t, fx.h, method, target)
			if rec.Code == http.StatusNotFound && strings.Contains(rec.Body.String(), "no API route") || rec.Code == http.StatusMethodNotAllowed {
				t.Errorf("%s is documented but not routed (status %d)", key, rec.Code)
			}
			if _, ok := op.Responses["200"]; !ok {
				t.Errorf("%s documents no 200 response", key)
			}
			rt := findRoute(method, path)
			if rt == nil {
				t.Errorf("%s is documented but not in the route table", key)
				continue
			}
			var names []string
			for _, p := range op.Parameters {
				if p.Ref != "" {
					name := strings.TrimPrefix(p.Ref, "#/components/parameters/")
					var ok bool
					if p, ok = doc.Components.Parameters[name]; !ok {
						t.Errorf("%s: dangling $ref %s", key, p.Ref)
						continue
					}
				}
				if p.In == "query" {
					names = append(names, p.Name)
				}
			}
			sort.Strings(names)
			want := slices.Sorted(slices.Values(rt.Params))
			if !slices.Equal(names, want) {
				t.Errorf("%s: documented query parameters %v, routed %v", key, names, want)
			}
		}
	}
	for _, rt := range routes {
		if !documented[rt.Method+" "+rt.Path] {
			t.Errorf("%s %s is routed but not documented in openapi.json", rt.Method, rt.Path)
		}
	}
}

func findRoute(method, path string) *route {
	for i := range routes {
		if routes[i].Method == method && routes[i].Path == path {
			return &routes[i]
		}
	}
	return nil
}
