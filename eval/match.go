package eval

import "math"

// assign aligns rows to columns one-to-one so that the sum of w over the
// aligned pairs is maximal (the Hungarian algorithm, O(n²m)); pairs of weight
// 0 or less are never aligned. It returns, for each row, its column or -1.
func assign(w [][]float64) []int {
	n := len(w)
	out := make([]int, n)
	for i := range out {
		out[i] = -1
	}
	if n == 0 || len(w[0]) == 0 {
		return out
	}
	m := len(w[0])
	if n > m { // the algorithm wants no more rows than columns
		t := make([][]float64, m)
		for j := range t {
			t[j] = make([]float64, n)
			for i := range n {
				t[j][i] = w[i][j]
			}
		}
		for j, i := range assign(t) {
			if i >= 0 {
				out[i] = j
			}
		}
		return out
	}
	cost := func(i, j int) float64 { return -math.Max(w[i-1][j-1], 0) }
	u, v := make([]float64, n+1), make([]float64, m+1)
	p, way := make([]int, m+1), make([]int, m+1)
	minv, used := make([]float64, m+1), make([]bool, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j], used[j] = math.Inf(1), false
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], math.Inf(1), 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if cur := cost(i0, j) - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	for j := 1; j <= m; j++ {
		if i := p[j]; i > 0 && w[i-1][j-1] > 0 {
			out[i-1] = j - 1
		}
	}
	return out
}
