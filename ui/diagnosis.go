package ui

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// evidenceIndent sets the evidence of a finding off from its summary.
const evidenceIndent = "  "

// diagBlock is one finding, rendered: its summary and each piece of its
// evidence, wrapped.
type diagBlock struct {
	summary  []string
	evidence [][]string
}

// diagnosisBlocks renders what the latest checks of s mean: each finding's
// summary as a sentence wrapped to width, its evidence indented below it,
// the sid masked unless reveal (an error a server sent may quote it).
func diagnosisBlocks(s sessions.Session, st styles, width int, reveal bool) []diagBlock {
	width = max(20, width)
	findings := s.Diagnose()
	if len(findings) == 0 {
		return []diagBlock{{summary: wrapLines("Not checked yet: c checks every transport, "+
			"1, 2 and 3 one at a time; a live check beats both clocks.", width, "", "", st.Faint)}}
	}
	out := make([]diagBlock, 0, len(findings))
	for _, f := range findings {
		summary := maskIn(sentence(f.Summary), s.SID, reveal)
		b := diagBlock{summary: wrapLines(summary, width, "", "", findingStyle(f, st))}
		for _, e := range f.Evidence {
			e = maskIn(odoo.Sanitize(e, 0), s.SID, reveal)
			b.evidence = append(b.evidence, wrapLines(e, width, evidenceIndent,
				evidenceIndent+"  ", st.Faint))
		}
		out = append(out, b)
	}
	return out
}

// fitDiagnosis lays the blocks out in at most room lines. When they do not
// all fit, every summary stays and evidence fills what is left, a last line
// saying that some was left out; when even the summaries do not fit, they
// are cut.
func fitDiagnosis(blocks []diagBlock, room int, faint lipgloss.Style) []string {
	var all, summaries []string
	for _, b := range blocks {
		all = append(all, b.summary...)
		summaries = append(summaries, b.summary...)
		for _, e := range b.evidence {
			all = append(all, e...)
		}
	}
	if len(all) <= room {
		return all
	}
	spare := room - 1 - len(summaries)
	if spare < 0 {
		return cutLines(summaries, max(1, room), faint)
	}
	out := make([]string, 0, room)
	for _, b := range blocks {
		out = append(out, b.summary...)
		for _, e := range b.evidence {
			if len(e) > spare {
				break
			}
			out = append(out, e...)
			spare -= len(e)
		}
	}
	return append(out, faint.Render(evidenceIndent+"… more evidence in a taller window"))
}

// findingStyle is the colour of a finding's summary; its words already say
// whether something is wrong.
func findingStyle(f sessions.Finding, st styles) lipgloss.Style {
	switch f.Kind {
	case sessions.FindNoAnswer:
		return st.Error
	case sessions.FindNotLoggedIn, sessions.FindOtherDB, sessions.FindHeaderDropped,
		sessions.FindCookieDropped, sessions.FindParamIgnored:
		return st.Warning
	}
	return lipgloss.Style{}
}

// wrapLines breaks text on spaces to width cells, starts the first line
// with indent and the others with hang, and styles each line.
func wrapLines(text string, width int, indent, hang string, style lipgloss.Style) []string {
	lines := strings.Split(ansi.Wrap(text, max(10, width-len(indent)), ""), "\n")
	if len(lines) > 1 && len(hang) != len(indent) {
		rest := strings.Join(lines[1:], " ")
		lines = append(lines[:1], strings.Split(ansi.Wrap(rest, max(10, width-len(hang)), ""), "\n")...)
	}
	for i, l := range lines {
		pad := hang
		if i == 0 {
			pad = indent
		}
		lines[i] = style.Render(pad + strings.TrimRight(l, " "))
	}
	return lines
}

// cutLines keeps at most n lines, the last one saying how many were left out.
func cutLines(lines []string, n int, faint lipgloss.Style) []string {
	if len(lines) <= n {
		return lines
	}
	kept := append([]string{}, lines[:n-1]...)
	return append(kept, faint.Render(fmt.Sprintf("… %d more lines: a taller window shows them",
		len(lines)-n+1)))
}

// sentence makes a finding's summary a sentence: sanitised, capitalised and
// ending with a full stop.
func sentence(s string) string {
	s = odoo.Sanitize(s, 0)
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[size:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// mainFinding is the first conclusion the checks of s support, as a
// sentence, or "" when s was never checked.
func mainFinding(s sessions.Session) string {
	findings := s.Diagnose()
	if len(findings) == 0 {
		return ""
	}
	return sentence(findings[0].Summary)
}
