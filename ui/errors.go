package ui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/odoo-sessions/odoo-sessions/odoo"
)

// maxErrDetail bounds how much of a server's own wording a check keeps in
// the sessions file.
const maxErrDetail = 160

// maxErrText bounds an error's own text: enough for any path or URL,
// little enough to sanitise quickly inside Update.
const maxErrText = 4000

// flagPrefix is a command-line flag name opening an error ("--url: "): the
// console has no flags to name.
var flagPrefix = regexp.MustCompile(`^--[a-z][a-z0-9-]*: `)

// errorText turns an error from the odoo client into one plain sentence for
// the status line. It is the only place where errors become text; anything
// that came from a server goes through sanitize first.
func errorText(err error, host string) string {
	hint, detailed := errorHint(err, host)
	if !detailed {
		return hint
	}
	d := odoo.Sanitize(odoo.Detail(err), maxErrText)
	if d == "" {
		return hint
	}
	// The advice opens the line; what the client saw (the status and page
	// title, how long it waited) follows, for the full message e shows.
	return hint + " (" + d + ")"
}

// errorHint is the sentence errorText opens with, and whether what the
// client saw should follow it: the advice alone does not say what came back
// when the server could not be reached or did not answer as Odoo.
func errorHint(err error, host string) (string, bool) {
	if err == nil {
		return "", false
	}
	detail := flagPrefix.ReplaceAllString(odoo.Sanitize(err.Error(), maxErrText), "")
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled", false
	case errors.Is(err, odoo.ErrUnreachable):
		return fmt.Sprintf("cannot reach %s: is the server running and the URL right?", host), true
	case errors.Is(err, odoo.ErrTLS):
		return fmt.Sprintf("TLS handshake with %s failed: check the certificate or the scheme",
			host), true
	case errors.Is(err, odoo.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("%s did not answer in time", host), true
	case errors.Is(err, odoo.ErrNotOdoo):
		return fmt.Sprintf("%s answered, but not as Odoo does: is the URL right?", host), true
	case errors.Is(err, odoo.ErrRouteMissing):
		// The client's text names the route and the module to install.
		return detail, false
	case errors.Is(err, odoo.ErrAuthFailed):
		return "wrong login or password", false
	case errors.Is(err, odoo.ErrUnknownDatabase):
		return fmt.Sprintf("%s has no such database (%s)", host, detail), false
	case errors.Is(err, odoo.ErrTransportIgnored):
		return "the server does not read the sid from this transport, though another " +
			"one shows it logged in: nothing was ended", false
	case errors.Is(err, odoo.ErrSessionExpired):
		return "the server does not know this session: logged out, expired or dropped", false
	case errors.Is(err, odoo.ErrAccessDenied):
		return fmt.Sprintf("%s refused: access denied (%s)", host, detail), false
	case errors.Is(err, odoo.ErrNeedDatabase):
		return fmt.Sprintf("%s hosts several databases: name one in the Database field",
			host), false
	case errors.Is(err, odoo.ErrListingDisabled):
		return fmt.Sprintf("%s does not list its databases (list_db is off)", host), false
	case errors.Is(err, odoo.ErrTOTPInvalid):
		return "the two-factor code was rejected: codes change every 30 seconds, try the " +
			"current one", false
	case errors.Is(err, odoo.ErrTOTPRequired):
		return "this user has two-factor authentication: a six-digit code is needed", false
	case errors.Is(err, odoo.ErrServer):
		return fmt.Sprintf("%s failed with a server error: %s", host, detail), false
	}
	return detail, false
}

// sameHint reports whether a and b open with the same advice: the same
// failure, seen on two requests.
func sameHint(a, b error, host string) bool {
	ha, _ := errorHint(a, host)
	hb, _ := errorHint(b, host)
	return ha == hb
}

// serverAnswer is what a server sent with an error (a traceback, or a body
// that could not be decoded), sanitised line by line for the answer view.
type serverAnswer struct {
	title string
	lines []string
}

// Bounds on how much of an answer the view keeps, so that sanitising it
// stays quick inside Update.
const (
	maxAnswerBytes     = 256 << 10
	maxAnswerLines     = 5000
	maxAnswerLineRunes = 2000
)

// answerOf returns the server's own text carried by err, or nil when err
// carries none.
func answerOf(err error) *serverAnswer {
	var rpcErr *odoo.RPCError
	if errors.As(err, &rpcErr) && strings.TrimSpace(rpcErr.Debug) != "" {
		title := fmt.Sprintf("traceback of JSON-RPC error %d", rpcErr.Code)
		if name := odoo.Sanitize(rpcErr.Name, maxErrDetail); name != "" {
			title = "traceback of " + name
		}
		return &serverAnswer{title: title, lines: sanitizeLines(rpcErr.Debug)}
	}
	var fault *odoo.FaultError
	if errors.As(err, &fault) && strings.Contains(strings.TrimSpace(fault.String), "\n") {
		return &serverAnswer{
			title: fmt.Sprintf("XML-RPC fault %d as the server sent it", fault.Code),
			lines: sanitizeLines(fault.String),
		}
	}
	var dec *odoo.DecodeError
	if errors.As(err, &dec) && len(dec.Raw) > 0 {
		return &serverAnswer{
			title: fmt.Sprintf("the %s answer that could not be decoded (%s)",
				odoo.Sanitize(dec.Format, 20), plural(len(dec.Raw), "byte", "bytes")),
			lines: sanitizeLines(string(dec.Raw)),
		}
	}
	return nil
}

// sanitizeLines splits text into lines and passes each through
// odoo.Sanitize, keeping its indentation, so no byte the server chose
// reaches the terminal as is.
func sanitizeLines(text string) []string {
	cut := len(text) > maxAnswerBytes
	if cut {
		text = text[:maxAnswerBytes]
	}
	raw := strings.Split(strings.TrimRight(text, "\r\n"), "\n")
	if len(raw) > maxAnswerLines {
		raw, cut = raw[:maxAnswerLines], true
	}
	out := make([]string, len(raw))
	for i, l := range raw {
		l = strings.ReplaceAll(l, "\t", "    ")
		body := strings.TrimLeft(l, " ")
		out[i] = l[:len(l)-len(body)] + odoo.Sanitize(body, maxAnswerLineRunes)
	}
	if cut {
		out = append(out, fmt.Sprintf("… cut here: the view keeps the first %d KiB and %d lines",
			maxAnswerBytes>>10, maxAnswerLines))
	}
	return out
}
