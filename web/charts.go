package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
)

// timeline is the server-rendered SVG bar chart of events per day.
type timeline struct {
	Width, Height float64
	Bars          []bar
	Max           int
	First, Last   string
	Ticks         []tick
	Selected      bool   // whether a date range is chosen
	Clear         string // URL without the date range
}

// bar is one day of the timeline; Href filters the page to that day.
type bar struct {
	X, Y, W, H float64
	Day        string
	Count      int
	Href       string
	In         bool // inside the chosen date range
}

// tick is an axis label.
type tick struct {
	X, Y float64
	Text string
}

const (
	tlWidth  = 800.0
	tlHeight = 110.0
	tlTop    = 8.0
	tlBottom = 22.0
)

// maxTimelineDays bounds the days drawn; a longer record shows its last days.
const maxTimelineDays = 730

// buildTimeline draws counts (the other filters applied, no date range) and
// marks the days inside f's From–To range; base is the query each bar link extends.
func buildTimeline(counts []store.DayCount, f store.EventFilter, base url.Values) timeline {
	tl := timeline{Width: tlWidth, Height: tlHeight, Selected: f.From != "" || f.To != ""}
	tl.Clear = "/?" + base.Encode()
	byDay := map[string]int{}
	var first, last time.Time
	for _, c := range counts {
		d, err := time.Parse(truce.DateLayout, c.Day)
		if err != nil {
			continue
		}
		byDay[c.Day] += c.Count
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	if first.IsZero() {
		return tl
	}
	n := int(last.Sub(first).Hours()/24) + 1
	if n > maxTimelineDays {
		first = last.AddDate(0, 0, -(maxTimelineDays - 1))
		n = maxTimelineDays
	}
	// Pad a short record so a single day is not one page-wide bar.
	for n < 14 {
		first = first.AddDate(0, 0, -1)
		last = last.AddDate(0, 0, 1)
		n += 2
	}
	for _, c := range byDay {
		tl.Max = max(tl.Max, c)
	}
	slot := tlWidth / float64(n)
	gap := math.Min(2, slot*0.2)
	plot := tlHeight - tlTop - tlBottom
	for i := 0; i < n; i++ {
		day := first.AddDate(0, 0, i).Format(truce.DateLayout)
		c := byDay[day]
		h := 0.0
		if tl.Max > 0 && c > 0 {
			h = math.Max(2, plot*float64(c)/float64(tl.Max))
		}
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		q.Set(ParamFrom, day)
		q.Set(ParamTo, day)
		in := (f.From == "" || day >= f.From) && (f.To == "" || day <= f.To)
		tl.Bars = append(tl.Bars, bar{X: round(float64(i)*slot + gap/2), Y: round(tlTop + plot - h), W: round(slot - gap),
			H: round(h), Day: day, Count: c, Href: "/?" + q.Encode(), In: in})
	}
	tl.First, tl.Last = tl.Bars[0].Day, tl.Bars[n-1].Day
	y := tlHeight - 6
	tl.Ticks = append(tl.Ticks, tick{X: 0, Y: y, Text: tl.First})
	if n > 20 {
		mid := tl.Bars[n/2]
		tl.Ticks = append(tl.Ticks, tick{X: mid.X, Y: y, Text: mid.Day})
	}
	tl.Ticks = append(tl.Ticks, tick{X: tlWidth, Y: y, Text: tl.Last})
	return tl
}

func round(f float64) float64 { return math.Round(f*100) / 100 }

// chart is one indicator series (a metric at a place) drawn as an SVG line or step chart.
type chart struct {
	ID     string
	Metric string
	Place  string
	Unit   string
	Scope  string
	Width  float64
	Height float64
	Path   string
	Points []point
	YTicks []tick
	XTicks []tick
	Left   float64
	Bottom float64
	Right  float64
	Rows   []store.StoredIndicator
}

// point is one indicator value; Href links to its evidence in the report.
type point struct {
	X, Y       float64
	YMin, YMax float64 // a range's whisker, equal to Y for a single value
	Range      bool
	Label      string
	Href       string
}

const (
	chW      = 640.0
	chH      = 220.0
	chLeft   = 56.0
	chRight  = 16.0
	chTop    = 12.0
	chBottom = 30.0
)

// indicatorValue is the value charted for an indicator: the value, or the middle of its range.
func indicatorValue(in truce.Indicator) (v, lo, hi float64, ok bool) {
	switch {
	case in.Value != nil:
		v = *in.Value
		lo, hi = v, v
		if in.Min != nil {
			lo = *in.Min
		}
		if in.Max != nil {
			hi = *in.Max
		}
		return v, lo, hi, true
	case in.Min != nil && in.Max != nil:
		return (*in.Min + *in.Max) / 2, *in.Min, *in.Max, true
	case in.Min != nil:
		return *in.Min, *in.Min, *in.Min, true
	case in.Max != nil:
		return *in.Max, *in.Max, *in.Max, true
	}
	return 0, 0, 0, false
}

// buildCharts groups indicator values by metric and place and draws each group.
func (s *site) buildCharts(inds []store.StoredIndicator) []chart {
	type key struct{ metric, place string }
	groups := map[key][]store.StoredIndicator{}
	var keys []key
	for _, in := range inds {
		k := key{in.Metric, s.placeName(in.Place)}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], in)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].metric != keys[j].metric {
			return keys[i].metric < keys[j].metric
		}
		return keys[i].place < keys[j].place
	})
	var out []chart
	for i, k := range keys {
		out = append(out, drawChart(fmt.Sprintf("chart-%d", i+1), k.metric, k.place, groups[k]))
	}
	return out
}

func drawChart(id, metric, place string, rows []store.StoredIndicator) chart {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].AsOf < rows[j].AsOf })
	c := chart{ID: id, Metric: metric, Place: place, Width: chW, Height: chH, Left: chLeft, Right: chW - chRight, Bottom: chH - chBottom, Rows: rows}
	if len(rows) > 0 {
		c.Unit, c.Scope = rows[0].Unit, rows[0].Scope
	}
	type pv struct {
		t          time.Time
		v, lo, hi  float64
		row        store.StoredIndicator
		hasRange   bool
		hasValueOK bool
	}
	var pts []pv
	var t0, t1 time.Time
	yMax := 0.0
	for _, r := range rows {
		t, err := time.Parse(truce.DateLayout, r.AsOf)
		v, lo, hi, ok := indicatorValue(r.Indicator)
		if err != nil || !ok {
			continue
		}
		pts = append(pts, pv{t: t, v: v, lo: lo, hi: hi, row: r, hasRange: lo != hi})
		if t0.IsZero() || t.Before(t0) {
			t0 = t
		}
		if t.After(t1) {
			t1 = t
		}
		yMax = math.Max(yMax, hi)
	}
	if len(pts) == 0 {
		return c
	}
	if !t1.After(t0) {
		t0, t1 = t0.AddDate(0, 0, -3), t1.AddDate(0, 0, 3)
	}
	if yMax <= 0 {
		yMax = 1
	}
	if c.Unit == "%" && yMax <= 100 {
		yMax = 100 // a percentage reads against its whole
	} else {
		yMax = niceCeil(yMax * 1.05)
	}
	span := t1.Sub(t0).Hours()
	x := func(t time.Time) float64 {
		return round(chLeft + (chW-chLeft-chRight)*t.Sub(t0).Hours()/span)
	}
	y := func(v float64) float64 { return round(chTop + (chH-chTop-chBottom)*(1-v/yMax)) }
	step := c.Scope == "cumulative" || c.Scope == "level"
	var d strings.Builder
	for i, p := range pts {
		px, py := x(p.t), y(p.v)
		switch {
		case i == 0:
			fmt.Fprintf(&d, "M%g %g", px, py)
		case step:
			fmt.Fprintf(&d, " H%g V%g", px, py)
		default:
			fmt.Fprintf(&d, " L%g %g", px, py)
		}
		val := strconv.FormatFloat(p.v, 'f', -1, 64)
		if p.hasRange {
			val = strconv.FormatFloat(p.lo, 'f', -1, 64) + "–" + strconv.FormatFloat(p.hi, 'f', -1, 64)
		}
		label := fmt.Sprintf("%s: %s %s (%s) — %s", p.row.AsOf, val, p.row.Unit, p.row.Scope, p.row.Source)
		c.Points = append(c.Points, point{X: px, Y: py, YMin: y(p.lo), YMax: y(p.hi), Range: p.hasRange, Label: label,
			Href: fmt.Sprintf("/reports/%d#i%d", p.row.ReportID, p.row.ID)})
	}
	c.Path = d.String()
	for _, v := range []float64{0, yMax / 2, yMax} {
		c.YTicks = append(c.YTicks, tick{X: chLeft - 6, Y: y(v) + 4, Text: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	c.XTicks = append(c.XTicks, tick{X: chLeft, Y: chH - 10, Text: t0.Format(truce.DateLayout)}, tick{X: chW - chRight, Y: chH - 10, Text: t1.Format(truce.DateLayout)})
	return c
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// indicatorsData is the data of the indicators page.
type indicatorsData struct {
	Metric  string
	Place   string
	From    string
	To      string
	Metrics []string
	Charts  []chart
	Err     string
}

func (s *site) handleIndicators(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.IndicatorFilter{Metric: strings.TrimSpace(q.Get("metric")), Place: strings.TrimSpace(q.Get(ParamPlace)),
		From: strings.TrimSpace(q.Get(ParamFrom)), To: strings.TrimSpace(q.Get(ParamTo))}
	d := indicatorsData{Metric: f.Metric, Place: f.Place, From: f.From, To: f.To}
	all, err := s.st.Indicators(r.Context(), store.IndicatorFilter{})
	if err != nil {
		s.storeErr(w, r, "The indicators", err)
		return
	}
	seen := map[string]bool{}
	for _, in := range all {
		if !seen[in.Metric] {
			seen[in.Metric] = true
			d.Metrics = append(d.Metrics, in.Metric)
		}
	}
	sort.Strings(d.Metrics)
	status := http.StatusOK
	inds, err := s.st.Indicators(r.Context(), f)
	switch {
	case err == nil:
		d.Charts = s.buildCharts(inds)
	case isInvalid(err):
		d.Err, status = err.Error(), http.StatusBadRequest
	default:
		s.storeErr(w, r, "The indicators", err)
		return
	}
	s.render(w, r, status, "indicators.html", page{Title: "Indicators", Nav: "indicators", Data: d})
}
