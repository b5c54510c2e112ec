package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// styles holds every style of the console, grouped by role. Colours never
// carry meaning alone: every styled cell also says what it means in text.
type styles struct {
	Title    lipgloss.Style
	Faint    lipgloss.Style
	Label    lipgloss.Style
	Selected lipgloss.Style
	Header   lipgloss.Style

	OK      lipgloss.Style
	Warning lipgloss.Style
	Expired lipgloss.Style
	Error   lipgloss.Style
	Info    lipgloss.Style
	Prompt  lipgloss.Style

	Body   lipgloss.Style
	Status lipgloss.Style

	Help  help.Styles
	Input textinput.Styles
}

// newStyles builds the styles for a dark or light background; noColor keeps
// only attributes such as bold and reverse.
func newStyles(dark, noColor bool) styles {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkHex string) color.Color {
		if noColor {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(darkHex))
	}
	accent := c("#5A56E0", "#8B87FF")
	faint := c("#8A8A8A", "#6C6C6C")

	s := styles{
		Title: lipgloss.NewStyle().
			Bold(true).
			Foreground(accent),
		Faint: lipgloss.NewStyle().
			Foreground(faint),
		Label: lipgloss.NewStyle().
			Foreground(faint),
		Selected: lipgloss.NewStyle().
			Reverse(noColor).
			Bold(true).
			Background(c("#DCDAFF", "#3A3670")),
		Header: lipgloss.NewStyle().
			Bold(true).
			Underline(true),
		OK: lipgloss.NewStyle().
			Foreground(c("#1B7F3B", "#5FD787")),
		Warning: lipgloss.NewStyle().
			Bold(true).
			Foreground(c("#A35A00", "#FFAF5F")),
		Expired: lipgloss.NewStyle().
			Foreground(c("#B00020", "#FF5F87")),
		Error: lipgloss.NewStyle().
			Bold(true).
			Foreground(c("#B00020", "#FF5F87")),
		Info: lipgloss.NewStyle().
			Foreground(c("#0B5E8A", "#87CEFA")),
		Prompt: lipgloss.NewStyle().
			Bold(true).
			Foreground(c("#A35A00", "#FFD75F")),
		Body: lipgloss.NewStyle().
			Padding(0, 1),
		Status: lipgloss.NewStyle().
			Padding(0, 1),
	}
	s.Help = help.DefaultStyles(dark)
	s.Input = textinput.DefaultStyles(dark)
	if noColor {
		s.Help = help.Styles{}
		s.Input = textinput.Styles{}
	}
	// A steady cursor: blinking would redraw the screen twice a second over
	// SSH for nothing.
	s.Input.Cursor.Blink = false
	return s
}
