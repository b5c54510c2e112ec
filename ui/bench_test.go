package ui

import (
	"testing"
	"time"
)

func benchModel(b *testing.B) model {
	b.Helper()
	m, _ := newTestModel(b, &fakeClient{}, testOpts{session: manySessions(10000), w: 120, h: 40})
	m.list.cursor = 5000
	m.list.clampOffset()
	return m
}

func BenchmarkListView10k(b *testing.B) {
	m := benchModel(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

func BenchmarkTick10k(b *testing.B) {
	m := benchModel(b)
	at := t0
	b.ReportAllocs()
	for b.Loop() {
		at = at.Add(time.Second)
		next, _ := m.Update(tickMsg{at: at, tag: m.tickTag})
		m = next.(model)
	}
}

func BenchmarkFilter10k(b *testing.B) {
	m := benchModel(b)
	queries := []string{"odoo17", "prod", "user42", ""}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.list.query = queries[i%len(queries)]
		m.list.applyFilter("")
		i++
	}
}

// TestListViewFast guards the render budget loosely enough for slow CI
// machines: a frame of 10,000 sessions must not cost anything like O(n).
func TestListViewFast(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: manySessions(10000), w: 120, h: 40})
	res := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			_ = m.View()
		}
	})
	if per := time.Duration(res.NsPerOp()); per > 20*time.Millisecond {
		t.Errorf("one frame takes %v", per)
	}
}
