package odoo

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// DefaultTimeout bounds each HTTP request unless WithTimeout says otherwise.
const DefaultTimeout = 15 * time.Second

// DefaultUserAgent is the User-Agent header sent unless WithUserAgent says
// otherwise.
const DefaultUserAgent = "odoo-sessions/dev"

// maxBody caps how much of an answer is read.
const maxBody = 4 << 20

// Client talks to one Odoo server. It keeps no cookie jar and follows no
// redirects: every request carries exactly the session id it is given, by
// exactly one transport. A Client is safe for concurrent use.
type Client struct {
	base      string
	http      *http.Client
	log       *slog.Logger
	timeout   time.Duration
	now       func() time.Time
	userAgent string
}

// Option configures a Client in New.
type Option func(*Client)

// WithHTTPClient makes the client send its requests through hc. The client
// works on a copy whose cookie jar is removed and which never follows
// redirects, whatever hc says: a jar or a redirect would carry a session id
// by a second transport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			cp := *hc
			c.http = &cp
		}
	}
}

// WithLogger makes the client log each request (method, endpoint, status,
// duration and a session fingerprint, never a body) to l.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l
		}
	}
}

// WithTimeout bounds each HTTP request; d <= 0 keeps DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithClock sets the clock used to stamp checks and measure latency.
func WithClock(now func() time.Time) Option {
	return func(c *Client) {
		if now != nil {
			c.now = now
		}
	}
}

// WithUserAgent sets the User-Agent header, e.g. "odoo-sessions/1.2.0".
func WithUserAgent(ua string) Option {
	return func(c *Client) {
		if ua = Sanitize(ua, 100); ua != "" {
			c.userAgent = ua
		}
	}
}

// New returns a client for the Odoo server at baseURL, such as
// "https://erp.example.com" or "http://127.0.0.1:8069". The URL must use
// http or https, name a host, and carry no credentials, query or fragment;
// a trailing slash is dropped.
func New(baseURL string, opts ...Option) (*Client, error) {
	base, err := checkBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:      base,
		http:      &http.Client{},
		log:       slog.New(slog.DiscardHandler),
		timeout:   DefaultTimeout,
		now:       time.Now,
		userAgent: DefaultUserAgent,
	}
	for _, opt := range opts {
		opt(c)
	}
	c.http.Jar = nil
	c.http.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	return c, nil
}

func checkBaseURL(raw string) (string, error) {
	fail := func(detail string) error {
		return &opError{op: "server address", detail: detail, kind: ErrInvalidInput}
	}
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return "", fail("empty: expected a URL such as http://127.0.0.1:8069")
	case err != nil:
		return "", fail(fmt.Sprintf("%q is not a URL: expected one such as http://127.0.0.1:8069",
			Sanitize(raw, 80)))
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fail(fmt.Sprintf("scheme %q: expected http or https",
			Sanitize(u.Scheme, 20)))
	case u.Host == "" || u.Hostname() == "":
		return "", fail("no host: expected a URL such as http://127.0.0.1:8069")
	case u.User != nil:
		return "", fail("credentials in the URL are not supported: give them at login")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", fail("query or fragment present: expected only scheme, host and path")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// URL returns the server's base URL, without a trailing slash.
func (c *Client) URL() string { return c.base }

// call is one HTTP request.
type call struct {
	op          string // operation named in errors, e.g. "login"
	method      string
	path        string
	query       url.Values
	body        []byte
	contentType string
	sid         string
	transport   Transport // how sid travels; "" sends no sid
	want        string    // format of the expected answer in errors; "" means JSON
	expect      string    // what a good answer holds, for "expected ..., got ..."
}

// expected returns what a good answer to k holds, in words.
func (k call) expected() string {
	switch {
	case k.expect != "":
		return k.expect
	case k.want == "":
		return "a JSON answer from Odoo"
	case k.want == "HTML":
		return "an HTML page"
	}
	return "an " + k.want + " answer"
}

// format returns the format of a good answer to k: JSON, XML-RPC or HTML.
func (k call) format() string {
	if k.want == "" {
		return "JSON"
	}
	return k.want
}

// values returns the query of k, with sid as session_id when k sends it by
// parameter.
func (k call) values(sid string) url.Values {
	q := url.Values{}
	for key, v := range k.query {
		q[key] = v
	}
	if k.transport == TransportParam {
		q.Set("session_id", sid)
	}
	return q
}

// target returns the path and query of k with sid as session_id.
func (k call) target(sid string) string {
	q := k.values(sid)
	if len(q) == 0 {
		return k.path
	}
	return k.path + "?" + q.Encode()
}

// reply is one HTTP answer, its body read in full (up to maxBody).
type reply struct {
	status  int
	header  http.Header
	body    []byte
	latency time.Duration
}

// contentType returns the media type of the answer, lower case.
func (r *reply) contentType() string {
	ct, _, _ := strings.Cut(r.header.Get("Content-Type"), ";")
	return strings.ToLower(strings.TrimSpace(ct))
}

func (r *reply) isJSON() bool { return strings.HasSuffix(r.contentType(), "json") }

func (r *reply) isHTML() bool {
	if r.contentType() == "text/html" {
		return true
	}
	head := bytes.ToLower(bytes.TrimSpace(r.body[:min(len(r.body), 64)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// sessionCookie returns the session_id the answer sets, or "".
func (r *reply) sessionCookie() string {
	sid := ""
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == "session_id" && ck.Value != "" && ck.MaxAge >= 0 {
			sid = ck.Value
		}
	}
	return sid
}

// odoo15CookieAge is the Max-Age Odoo 15 and older give the session
// cookie: they set it again on every answer to a request that sent it,
// saved or not. Odoo 16 and later set it only when they saved the session
// (or changed its sid), with the idle limit as its age.
const odoo15CookieAge = 90 * 24 * 60 * 60

// savedSession reports whether the answer says the server saved the
// session sid: it sets sid's cookie again, and not the way Odoo 15 does
// on every answer.
func (r *reply) savedSession(sid string) bool {
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == "session_id" && ck.Value == sid && ck.MaxAge > 0 && ck.MaxAge != odoo15CookieAge {
			return true
		}
	}
	return false
}

// do sends one request and reads the answer. It fails only when no answer
// came; an HTTP error status is the caller's to judge.
func (c *Client) do(ctx context.Context, k call) (*reply, error) {
	req, err := c.newRequest(ctx, k)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(req.Context(), c.timeout)
	defer cancel()
	req = req.WithContext(ctx)

	start := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		err = newRequestError(k, err)
		c.logRequest(k, 0, c.now().Sub(start), err)
		return nil, c.transportError(ctx, k, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	latency := c.now().Sub(start)
	if err != nil {
		err = newRequestError(k, err)
	}
	c.logRequest(k, resp.StatusCode, latency, err)
	if err != nil {
		return nil, c.transportError(ctx, k, err)
	}
	if len(body) > maxBody {
		return nil, c.failCall(k, ErrNotOdoo, fmt.Sprintf("%s answered more than %d MiB",
			k.path, maxBody>>20), nil)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: body, latency: latency}, nil
}

func (c *Client) newRequest(ctx context.Context, k call) (*http.Request, error) {
	var body io.Reader
	if k.body != nil {
		body = bytes.NewReader(k.body)
	}
	req, err := http.NewRequestWithContext(ctx, k.method, c.base+k.target(k.sid), body)
	if err != nil {
		return nil, c.failCall(k, ErrInvalidInput, "cannot build the request",
			newRequestError(k, err))
	}
	req.Header.Set("User-Agent", c.userAgent)
	if k.contentType != "" {
		req.Header.Set("Content-Type", k.contentType)
	}
	switch k.transport {
	case TransportHeader:
		req.Header.Set("X-Openerp-Session-Id", k.sid)
	case TransportCookie:
		req.AddCookie(&http.Cookie{Name: "session_id", Value: k.sid})
	}
	return req, nil
}

func (c *Client) logRequest(k call, status int, d time.Duration, err error) {
	attrs := []any{
		slog.String("method", k.method),
		slog.String("endpoint", k.path),
		slog.Int("status", status),
		slog.Duration("duration", d),
	}
	if k.transport != "" {
		attrs = append(attrs, slog.String("transport", string(k.transport)),
			slog.String("session", Fingerprint(k.sid)))
	}
	if err != nil {
		attrs = append(attrs, slog.String("err", Sanitize(err.Error(), maxErrorText)))
	}
	c.log.Info("odoo request", attrs...)
}

// requestError is a failure to send a request or read its answer. Its text
// names the request by method, path and query, with the session id shown
// as a fingerprint: Go's *url.Error prints the whole URL, which repeats the
// server named by the operation's error and may carry the id as a
// parameter.
type requestError struct {
	text string
	err  error
}

func (e *requestError) Error() string { return e.text }

// Unwrap returns the cause without its URL, for errors.Is and errors.As.
func (e *requestError) Unwrap() error { return e.err }

// newRequestError wraps a failure of request k.
func newRequestError(k call, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	text := fmt.Sprintf("%s %s: %v", k.method, k.target(redactedSID(k.sid)), err)
	return &requestError{text: hideSIDs(text, k.sid), err: err}
}

// transportError classifies a failure to get an answer.
func (c *Client) transportError(ctx context.Context, k call, err error) error {
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		recErr  tls.RecordHeaderError
		alert   tls.AlertError
		unknown x509.UnknownAuthorityError
		hostErr x509.HostnameError
		netErr  net.Error
	)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return c.failCall(k, ErrTimeout, fmt.Sprintf("no answer within %s", c.timeout),
			context.DeadlineExceeded)
	case errors.Is(err, context.Canceled):
		return c.failCall(k, ErrTimeout, "request cancelled before an answer came", context.Canceled)
	case errors.As(err, &certErr) || errors.As(err, &recErr) || errors.As(err, &alert) ||
		errors.As(err, &unknown) || errors.As(err, &hostErr):
		return c.failCall(k, ErrTLS, "TLS handshake failed", sanitizedError(err))
	case errors.As(err, &netErr) && netErr.Timeout():
		return c.failCall(k, ErrTimeout, "the connection timed out", nil)
	case errors.As(err, &dnsErr):
		return c.failCall(k, ErrUnreachable, "host name not found", sanitizedError(dnsErr))
	case brokenAnswer(err):
		// Something listens there and answered, but not in HTTP.
		return c.failCall(k, ErrNotOdoo, "the answer is not valid HTTP", sanitizedError(err))
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return c.failCall(k, ErrUnreachable, "the server closed the connection without an answer",
			nil)
	default:
		return c.failCall(k, ErrUnreachable, "no answer from the server", sanitizedError(err))
	}
}

// brokenAnswer reports whether err says the server's answer could not be
// parsed as HTTP: a bad status line or header.
func brokenAnswer(err error) bool {
	var pe textproto.ProtocolError
	return errors.As(err, &pe) || strings.Contains(err.Error(), "malformed HTTP")
}

// sanitizedError returns err's text, sanitized, as a new error: the text of
// network errors can quote what the server sent.
func sanitizedError(err error) error {
	return errors.New(Sanitize(err.Error(), maxErrorText))
}

// fail builds the error of an operation on this server.
func (c *Client) fail(op string, kind error, detail string, cause error) error {
	return &opError{op: op, server: c.base, detail: detail, kind: kind, cause: cause}
}

// failCall builds the error of request k: the session id it sent is shown
// only as a fingerprint, in the text and in the server text the cause
// keeps for a details view.
func (c *Client) failCall(k call, kind error, detail string, cause error) error {
	hideInCause(cause, k.sid)
	e := &opError{op: k.op, server: c.base, detail: detail, kind: kind, cause: cause}
	if k.sid != "" {
		e.secrets = []string{k.sid}
	}
	return e
}

// checkSID refuses session ids that cannot be sent as they are. Odoo's sid
// shapes differ by version (40 hex, 84 base64url), so nothing more is checked.
// A non-ASCII byte is refused because a cookie cannot carry it: net/http
// would drop it, send another id and print a warning on standard error.
func checkSID(sid string) error {
	if sid == "" {
		return errors.New("empty session id")
	}
	for _, r := range sid {
		if r <= ' ' || r >= 0x7f || r == ';' || r == ',' || r == '"' || r == '\\' {
			return fmt.Errorf("session id %s has a space, control, separator or non-ASCII "+
				"character", Fingerprint(sid))
		}
	}
	return nil
}

// checkTransport refuses unknown transports.
func checkTransport(t Transport) error {
	switch t {
	case TransportHeader, TransportCookie, TransportParam:
		return nil
	}
	return fmt.Errorf("unknown transport %q: expected header, cookie or param", Sanitize(string(t), 20))
}

// checkSession validates a sid and its transport for operation op.
func (c *Client) checkSession(op, sid string, t Transport) error {
	if err := checkSID(sid); err != nil {
		return c.fail(op, ErrInvalidInput, "refused to send the request", err)
	}
	if err := checkTransport(t); err != nil {
		return c.fail(op, ErrInvalidInput, "refused to send the request", err)
	}
	return nil
}
