package ui

import (
	"context"
	"errors"
	"fmt"

	"github.com/odoo-sessions/odoo-sessions/odoo"
)

// maxErrDetail bounds how much of a server's own wording an error line shows.
const maxErrDetail = 160

// errorText turns an error from the odoo client into one plain sentence for
// the status line. It is the only place where errors become text; anything
// that came from a server goes through sanitize first.
func errorText(err error, host string) string {
	if err == nil {
		return ""
	}
	detail := odoo.Sanitize(err.Error(), maxErrDetail)
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, odoo.ErrUnreachable):
		return fmt.Sprintf("cannot reach %s: is the server running and the URL right?", host)
	case errors.Is(err, odoo.ErrTLS):
		return fmt.Sprintf("TLS handshake with %s failed: check the certificate or the scheme", host)
	case errors.Is(err, odoo.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("%s did not answer in time", host)
	case errors.Is(err, odoo.ErrNotOdoo):
		return fmt.Sprintf("%s answered, but not as Odoo does: is the URL right?", host)
	case errors.Is(err, odoo.ErrRouteMissing):
		// The client's text names the route and the module to install.
		return detail
	case errors.Is(err, odoo.ErrAuthFailed):
		return "wrong login or password"
	case errors.Is(err, odoo.ErrUnknownDatabase):
		return fmt.Sprintf("%s has no such database (%s)", host, detail)
	case errors.Is(err, odoo.ErrSessionExpired):
		return "the server does not know this session: logged out, expired or dropped"
	case errors.Is(err, odoo.ErrAccessDenied):
		return fmt.Sprintf("%s refused: access denied (%s)", host, detail)
	case errors.Is(err, odoo.ErrNeedDatabase):
		return fmt.Sprintf("%s hosts several databases: name one in the Database field", host)
	case errors.Is(err, odoo.ErrListingDisabled):
		return fmt.Sprintf("%s does not list its databases (list_db is off)", host)
	case errors.Is(err, odoo.ErrTOTPInvalid):
		return "the two-factor code was rejected: codes change every 30 seconds, try the current one"
	case errors.Is(err, odoo.ErrTOTPRequired):
		return "this user has two-factor authentication: a six-digit code is needed"
	case errors.Is(err, odoo.ErrServer):
		return fmt.Sprintf("%s failed with a server error: %s", host, detail)
	}
	return detail
}
