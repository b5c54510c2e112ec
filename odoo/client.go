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
		c.logRequest(k, 0, c.now().Sub(start), err)
		return nil, c.transportError(ctx, k.op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	latency := c.now().Sub(start)
	c.logRequest(k, resp.StatusCode, latency, err)
	if err != nil {
		return nil, c.transportError(ctx, k.op, err)
	}
	if len(body) > maxBody {
		return nil, c.fail(k.op, ErrNotOdoo, fmt.Sprintf("%s answered more than %d MiB",
			k.path, maxBody>>20), nil)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: body, latency: latency}, nil
}

func (c *Client) newRequest(ctx context.Context, k call) (*http.Request, error) {
	q := url.Values{}
	for key, v := range k.query {
		q[key] = v
	}
	if k.transport == TransportParam {
		q.Set("session_id", k.sid)
	}
	target := c.base + k.path
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	var body io.Reader
	if k.body != nil {
		body = bytes.NewReader(k.body)
	}
	req, err := http.NewRequestWithContext(ctx, k.method, target, body)
	if err != nil {
		return nil, c.fail(k.op, ErrInvalidInput, "cannot build the request", err)
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

// transportError classifies a failure to get an answer.
func (c *Client) transportError(ctx context.Context, op string, err error) error {
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
		return c.fail(op, ErrTimeout, fmt.Sprintf("no answer within %s", c.timeout),
			context.DeadlineExceeded)
	case errors.Is(err, context.Canceled):
		return c.fail(op, ErrTimeout, "request cancelled before an answer came", context.Canceled)
	case errors.As(err, &certErr) || errors.As(err, &recErr) || errors.As(err, &alert) ||
		errors.As(err, &unknown) || errors.As(err, &hostErr):
		return c.fail(op, ErrTLS, "TLS handshake failed", sanitizedError(err))
	case errors.As(err, &netErr) && netErr.Timeout():
		return c.fail(op, ErrTimeout, "the connection timed out", nil)
	case errors.As(err, &dnsErr):
		return c.fail(op, ErrUnreachable, "host name not found", sanitizedError(dnsErr))
	default:
		return c.fail(op, ErrUnreachable, "no answer from the server", sanitizedError(err))
	}
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

// checkSID refuses session ids that cannot be sent as they are. Odoo's sid
// shapes differ by version (40 hex, 84 base64url), so nothing more is checked.
func checkSID(sid string) error {
	if sid == "" {
		return errors.New("empty session id")
	}
	for _, r := range sid {
		if r <= ' ' || r == 0x7f || r == ';' || r == ',' || r == '"' || r == '\\' {
			return fmt.Errorf("session id %s has a space, control or separator character",
				Fingerprint(sid))
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
