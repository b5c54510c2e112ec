package demoserver

import (
	"fmt"
	"html"
	"net/http"
	"strings"
)

// htmlType is the Content-Type of every HTML page.
const htmlType = "text/html; charset=utf-8"

// Texts of Werkzeug's error pages.
const (
	notFoundText = "The requested URL was not found on the server. If you entered the URL " +
		"manually please check your spelling and try again."
	methodText   = "The method is not allowed for the requested URL."
	internalText = "The server encountered an internal error and was unable to complete " +
		"your request. Either the server is overloaded or there is an error in the application."
)

// htmlError sends Werkzeug's HTML error page, in the style of the profile's
// Werkzeug version. It never sets the session cookie.
func (c *call) htmlError(status int, text string) {
	title := fmt.Sprintf("%d %s", status, http.StatusText(status))
	head := "<!doctype html>\n<html lang=en>\n"
	if c.p.werkzeug1 {
		head = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n"
	}
	body := fmt.Sprintf("%s<title>%s</title>\n<h1>%s</h1>\n<p>%s</p>\n",
		head, title, http.StatusText(status), html.EscapeString(text))
	if status == http.StatusMethodNotAllowed {
		c.w.Header().Set("Allow", "POST")
	}
	c.write(status, htmlType, []byte(body))
}

// redirectBody is Werkzeug's page for a redirect to target.
func (c *call) redirectBody(target string) []byte {
	t := html.EscapeString(target)
	if c.p.werkzeug1 {
		return fmt.Appendf(nil, "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n"+
			"<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"+
			"<p>You should be redirected automatically to target URL: <a href=\"%s\">%s</a>.  "+
			"If not click the link.", t, t)
	}
	return fmt.Appendf(nil, "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"+
		"<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: "+
		"<a href=\"%s\">%s</a>. If not, click the link.\n", t, t)
}

// redirect answers status (302 or 303) to target; cookies must be added by
// the caller before.
func (c *call) redirect(status int, target string) {
	c.w.Header().Set("Location", target)
	c.write(status, htmlType, c.redirectBody(target))
}

// notFound answers a path the server does not route. Odoo 15 answers a JSON
// request with a JSON-RPC error (and its usual cookie), anything else with
// Werkzeug's HTML page.
func (s *Server) notFound(c *call) {
	if c.p.major == 15 && c.mediaType() == "application/json" {
		s.writeRPC(c, nil, nil, errNotFound(), false)
		return
	}
	c.htmlError(http.StatusNotFound, notFoundText)
}

// page wraps an HTML fragment in a minimal Odoo-like page.
func page(title, content string) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset=\"utf-8\"/>\n")
	fmt.Fprintf(&b, "        <title>%s</title>\n    </head>\n    <body>\n", html.EscapeString(title))
	b.WriteString(content)
	b.WriteString("\n    </body>\n</html>\n")
	return []byte(b.String())
}
