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

// TestListViewCostsVisibleRowsOnly renders the same screen over 100 and over
// 10,000 sessions: a frame that touched every session, not only the rows on
// screen, would allocate in proportion to the list. Not parallel:
// AllocsPerRun counts the whole process.
func TestListViewCostsVisibleRowsOnly(t *testing.T) {
	allocs := func(n int) float64 {
		m, _ := newTestModel(t, &fakeClient{}, testOpts{session: manySessions(n), w: 120, h: 40})
		m.list.cursor = n / 2
		m.list.clampOffset()
		return testing.AllocsPerRun(20, func() { _ = m.View() })
	}
	small, large := allocs(100), allocs(10000)
	if large > small*1.1+10 {
		t.Errorf("a frame over 10,000 sessions makes %.0f allocations, over 100 only %.0f",
			large, small)
	}
}
