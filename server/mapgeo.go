package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"

	"github.com/truce-monitor/truce/store"
)

// MapRecent is the number of most recent events a feature of /api/map.geojson
// lists by id; the page fetches their details when a popup opens.
const MapRecent = 10

// mapFeature is one feature of /api/map.geojson: every matching event at one
// coordinate (or in one grid cell).
type mapFeature struct {
	Type       string        `json:"type"`
	ID         string        `json:"id"` // "lon,lat"
	Geometry   geoPoint      `json:"geometry"`
	Properties mapProperties `json:"properties"`
}

// mapProperties are the properties of a map feature.
type mapProperties struct {
	PlaceID string         `json:"place_id"`
	Place   string         `json:"place"` // canonical name, else the source's name
	Count   int            `json:"count"`
	Types   map[string]int `json:"types"`  // events per type
	Recent  []mapEvent     `json:"recent"` // the MapRecent most recent events, newest first
}

// mapEvent is an event named in a map feature.
type mapEvent struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
	Date string `json:"date"`
}

// mapCollection is the body of /api/map.geojson.
type mapCollection struct {
	Type     string       `json:"type"`
	Features []mapFeature `json:"features"`
	Events   int          `json:"events"` // events on the map (the sum of the counts)
	// Grid is 0 when every feature is one coordinate, else the size in degrees
	// of the grid cells the points were grouped by (see aggregatePoints).
	Grid float64 `json:"grid"`
}

// MapMaxFeatures bounds the features of /api/map.geojson: when the matching
// events have more distinct coordinates, they are grouped by grid cells of
// 0.001°, 0.01°, 0.1° or 1°, the finest that stays within the bound. Events
// coded at gazetteer places share their place's coordinates, so real data
// rarely needs a grid; jittered synthetic data does.
const MapMaxFeatures = 2000

// aggregatePoints groups the points (oldest first, as EventPoints returns
// them) into features, by exact coordinate or by the finest grid that keeps
// them within MapMaxFeatures, and returns the grid (0 for exact). A feature
// lies at the coordinate of its most recent event.
func aggregatePoints(pts []store.EventPoint) ([]mapFeature, float64) {
	for _, grid := range []float64{0, 0.001, 0.01, 0.1, 1} {
		if feats, ok := aggregateGrid(pts, grid, MapMaxFeatures); ok {
			return feats, grid
		}
	}
	feats, _ := aggregateGrid(pts, 10, 0) // at most 648 cells
	return feats, 10
}

// aggregateGrid groups pts by cells of grid degrees (0: exact coordinates);
// ok is false, and the grouping abandoned, as soon as there are more than max
// features (max <= 0: no bound).
func aggregateGrid(pts []store.EventPoint, grid float64, max int) (feats []mapFeature, ok bool) {
	type key struct{ lon, lat float64 }
	idx := map[key]int{}
	// Newest first: the first point seen in a cell names its place and position.
	for i := len(pts) - 1; i >= 0; i-- {
		p := &pts[i]
		if p.Lat == 0 && p.Lon == 0 {
			continue
		}
		k := key{p.Lon, p.Lat}
		if grid > 0 {
			k = key{math.Floor(p.Lon / grid), math.Floor(p.Lat / grid)}
		}
		j, seen := idx[k]
		if !seen {
			if max > 0 && len(feats) == max {
				return nil, false
			}
			j = len(feats)
			idx[k] = j
			feats = append(feats, mapFeature{Type: "Feature",
				ID:         strconv.FormatFloat(p.Lon, 'f', -1, 64) + "," + strconv.FormatFloat(p.Lat, 'f', -1, 64),
				Geometry:   geoPoint{"Point", [2]float64{p.Lon, p.Lat}},
				Properties: mapProperties{Types: map[string]int{}}})
		}
		fp := &feats[j].Properties
		fp.Count++
		fp.Types[p.Type]++
		if len(fp.Recent) < MapRecent {
			fp.Recent = append(fp.Recent, mapEvent{p.ID, p.Type, p.Date})
		}
	}
	return feats, true
}

// mapGeoJSON answers /api/map.geojson: the events matching the filter,
// aggregated into one Point feature per distinct coordinate (or grid cell, see
// aggregatePoints), read with EventPoints (the index alone in SQLite) and one
// event lookup per feature for its place.
func (a *api) mapGeoJSON(w http.ResponseWriter, r *http.Request) error {
	f, err := eventFilter(r, false)
	if err != nil {
		return err
	}
	f.NoLimit, f.Limit, f.After = true, 0, ""
	ctx := r.Context()
	pts, err := a.st.EventPoints(ctx, f)
	if err != nil {
		return storeFail(f, fmt.Errorf("map: %w", err))
	}
	feats, grid := aggregatePoints(pts)
	total := 0
	for i := range feats {
		total += feats[i].Properties.Count
	}
	for i := range feats {
		fp := &feats[i].Properties
		ev, err := a.st.Event(ctx, fp.Recent[0].ID)
		if errors.Is(err, store.ErrNotFound) {
			continue // re-extracted since EventPoints: the feature stays unnamed
		}
		if err != nil {
			return fmt.Errorf("map: place of event %d: %w", fp.Recent[0].ID, err)
		}
		if pl := ev.Place; pl != nil {
			fp.PlaceID, fp.Place = pl.ID, pl.Canonical
			if fp.Place == "" {
				fp.Place = pl.Name
			}
		}
	}
	// Busiest first, then by place, so that the output is stable.
	sort.SliceStable(feats, func(i, j int) bool {
		a, b := &feats[i].Properties, &feats[j].Properties
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Place != b.Place {
			return a.Place < b.Place
		}
		return feats[i].ID < feats[j].ID
	})
	if feats == nil {
		feats = []mapFeature{}
	}
	b, err := json.Marshal(mapCollection{Type: "FeatureCollection", Features: feats, Events: total, Grid: grid})
	if err != nil {
		return fmt.Errorf("map: %w", err)
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(b, '\n'))
	return nil
}
