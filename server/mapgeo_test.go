package server

import (
	"testing"

	"github.com/truce-monitor/truce/store"
)

// TestAggregatePointsGrid checks that points at too many distinct coordinates
// are grouped by the finest grid that keeps the features within
// MapMaxFeatures, losing no event, and that the newest events come first.
func TestAggregatePointsGrid(t *testing.T) {
	var pts []store.EventPoint
	for i := range 5000 {
		// 50 places 0.5° apart, each event jittered by up to ±0.05°.
		j := float64((i*7919)%1001-500) / 10000
		pts = append(pts, store.EventPoint{ID: int64(i + 1), Type: "ASSAULT", Date: "2021-01-01",
			Lon: 44 + float64(i%50)/2 + j, Lat: 40 + j})
	}
	feats, grid := aggregatePoints(pts)
	if grid == 0 || len(feats) > MapMaxFeatures {
		t.Errorf("%d features on a grid of %g°, want at most %d on a grid", len(feats), grid, MapMaxFeatures)
	}
	n := 0
	for _, f := range feats {
		p := f.Properties
		n += p.Count
		if p.Types["ASSAULT"] != p.Count || len(p.Recent) != min(p.Count, MapRecent) {
			t.Errorf("feature %s: %+v", f.ID, p)
		}
		for i := 1; i < len(p.Recent); i++ {
			if p.Recent[i].ID >= p.Recent[i-1].ID {
				t.Errorf("feature %s: recent events not newest first: %v", f.ID, p.Recent)
			}
		}
	}
	if n != len(pts) {
		t.Errorf("%d events in the features, want %d", n, len(pts))
	}
	if feats, grid := aggregatePoints(pts[:10]); grid != 0 || len(feats) != 10 {
		t.Errorf("10 distinct points: %d features on a grid of %g°", len(feats), grid)
	}
}
