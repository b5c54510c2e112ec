package ui

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWrapWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		text  string
		width int
		want  []string
	}{
		{"fits", "run chmod 600", 20, []string{"run chmod 600"}},
		{"breaks at spaces only", "run chmod 600 /tmp/odoo-sessions/sessions.json", 32,
			[]string{"run chmod 600", "/tmp/odoo-sessions/sessions.json"}},
		{"cuts a word wider than a line", "see abcdefghij now", 4,
			[]string{"see", "abcd", "efgh", "ij", "now"}},
		{"empty", "", 10, []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, wrapWords(tc.text, tc.width)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
