package ui

import "charm.land/bubbles/v2/key"

// keyMap holds every binding of the console. Fields are actions; screens pick
// their subset for help, and letter shortcuts are disabled while a text input
// has focus (see setTyping).
type keyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding

	Open     key.Binding
	Login    key.Binding
	Check    key.Binding
	CheckAll key.Binding
	Logout   key.Binding
	Forget   key.Binding
	Filter   key.Binding
	Reveal   key.Binding
	Track    key.Binding
	Prune    key.Binding

	CheckHeader key.Binding
	CheckCookie key.Binding
	CheckParam  key.Binding
	Details     key.Binding
	Devices     key.Binding
	CopyID      key.Binding
	// Answer opens the whole of the last message and the server's answer
	// to a failure: e, or ctrl+o while a text input has focus (see
	// setTyping).
	Answer key.Binding

	Next     key.Binding
	Prev     key.Binding
	Submit   key.Binding
	PickUp   key.Binding
	PickDown key.Binding

	// LogoutVia picks the default transport of a logout in the detail
	// view; CheckHeader, CheckCookie and CheckParam pick one there too.
	LogoutVia key.Binding

	Yes  key.Binding
	No   key.Binding
	Back key.Binding
	Help key.Binding
	Quit key.Binding
	Kill key.Binding
}

// defaultKeyMap returns the console's bindings.
func defaultKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   b([]string{"pgup"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown"}, "pgdn", "page down"),
		Top:      b([]string{"home", "g"}, "g/home", "first"),
		Bottom:   b([]string{"end", "G"}, "G/end", "last"),

		Open:     b([]string{"enter"}, "enter", "details"),
		Login:    b([]string{"n"}, "n", "new login"),
		Check:    b([]string{"c"}, "c", "check H C P"),
		CheckAll: b([]string{"C"}, "C", "check every session"),
		Logout:   b([]string{"l"}, "l", "log out"),
		Forget:   b([]string{"x"}, "x", "forget"),
		Filter:   b([]string{"/"}, "/", "filter"),
		Reveal:   b([]string{"r"}, "r", "reveal sids"),
		Track:    b([]string{"t"}, "t", "track a sid"),
		Prune:    b([]string{"P"}, "P", "prune ended"),

		CheckHeader: b([]string{"1"}, "1", "check header"),
		CheckCookie: b([]string{"2"}, "2", "check cookie"),
		CheckParam:  b([]string{"3"}, "3", "check param"),
		Details:     b([]string{"d"}, "d", "fetch details"),
		Devices:     b([]string{"D"}, "D", "server's device list"),
		CopyID:      b([]string{"y"}, "y", "copy sid"),
		Answer:      b([]string{"e"}, "e", "full message"),

		Next:     b([]string{"tab"}, "tab", "next field"),
		Prev:     b([]string{"shift+tab"}, "shift+tab", "previous field"),
		Submit:   b([]string{"enter"}, "enter", "submit"),
		PickUp:   b([]string{"up"}, "↑", "previous database or profile"),
		PickDown: b([]string{"down"}, "↓", "next database or profile"),

		LogoutVia: b([]string{"enter", "l"}, "enter", "default transport"),

		Yes:  b([]string{"y", "Y"}, "y", "yes"),
		No:   b([]string{"n", "N", "esc"}, "n/esc", "no"),
		Back: b([]string{"esc"}, "esc", "back"),
		Help: b([]string{"?"}, "?", "help"),
		Quit: b([]string{"q"}, "q", "quit"),
		Kill: b([]string{"ctrl+c"}, "ctrl+c", "quit"),
	}
}

// setTyping enables or disables the single-letter shortcuts: while a text
// input has focus, typing a password must not fire them. The full message
// then moves from e to ctrl+o, which text inputs leave alone; its help says
// whether the server's answer comes with it.
func (k *keyMap) setTyping(typing, answer bool) {
	desc := "full message"
	if answer {
		desc = "server's answer"
	}
	if typing {
		k.Answer.SetKeys("ctrl+o")
		k.Answer.SetHelp("ctrl+o", desc)
	} else {
		k.Answer.SetKeys("e")
		k.Answer.SetHelp("e", desc)
	}
	for _, b := range []*key.Binding{
		&k.Up, &k.Down, &k.Top, &k.Bottom, &k.Login, &k.Check, &k.CheckAll,
		&k.Logout, &k.Forget, &k.Filter, &k.Reveal, &k.Track, &k.Prune,
		&k.CheckHeader, &k.CheckCookie, &k.CheckParam, &k.Details, &k.Devices,
		&k.CopyID, &k.Help, &k.Quit,
	} {
		b.SetEnabled(!typing)
	}
}
