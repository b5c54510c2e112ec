package odoo

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors. Every error returned by this package wraps one of them,
// so callers can tell what to do with errors.Is.
var (
	ErrUnreachable     = errors.New("server unreachable")
	ErrTLS             = errors.New("TLS handshake failed")
	ErrTimeout         = errors.New("request timed out")
	ErrNotOdoo         = errors.New("answer is not Odoo's")
	ErrRouteMissing    = errors.New("route missing")
	ErrAuthFailed      = errors.New("wrong login or password")
	ErrUnknownDatabase = errors.New("unknown database")
	ErrSessionExpired  = errors.New("session not logged in")
	// ErrTransportIgnored means the server does not read the session id by
	// the transport it was sent with, while another transport shows the
	// session logged in: the session is alive and nothing was ended.
	ErrTransportIgnored = errors.New("session id transport not read by the server")
	ErrAccessDenied     = errors.New("access denied")
	ErrServer           = errors.New("server error")
	// ErrTOTPRequired is not returned by Login, which reports a pending
	// two-factor step with LoginResult.TOTPRequired; it is there for callers
	// that need an error for that state.
	ErrTOTPRequired = errors.New("two-factor code required")
	ErrTOTPInvalid  = errors.New("two-factor code rejected")
	// ErrListingDisabled means the server refuses to list its databases
	// (Odoo's list_db option is off).
	ErrListingDisabled = errors.New("database listing disabled")
	// ErrNeedDatabase means the server could not pick a database on its own
	// and the request named none.
	ErrNeedDatabase = errors.New("database name needed")
	// ErrNoDeviceList means the server keeps no list of its users'
	// sessions (res.device, which came with Odoo 18).
	ErrNoDeviceList = errors.New("no device list on this server")
	// ErrInvalidInput means the caller passed something the client refuses
	// to send, such as an empty session id or an unknown transport.
	ErrInvalidInput = errors.New("invalid input")
)

// maxErrorText is how much server text an error message carries.
const maxErrorText = 200

// opError is what every exported method returns on failure: the operation,
// the server, a sentence on what happened, the sentinel that classifies it
// and, when there is one, the typed cause (*RPCError, *FaultError, ...).
//
// Its text reads "<op> at <server>: <detail>[: <cause>]" and names the
// operation and the server once: a cause that is itself an opError of the
// same server adds only its detail and cause. Session ids listed in
// secrets, and those of nested opErrors, are shown as fingerprints.
type opError struct {
	op     string
	server string
	detail string
	kind   error
	cause  error
	// attached is unwrapped like cause but not printed: a *DecodeError
	// holding the raw answer that the detail already describes.
	attached error
	secrets  []string
}

func (e *opError) Error() string {
	var b strings.Builder
	b.WriteString(e.op)
	if e.server != "" {
		b.WriteString(" at ")
		b.WriteString(e.server)
	}
	b.WriteString(": ")
	secrets := e.writeBody(&b)
	return hideSIDs(b.String(), secrets...)
}

// writeBody writes the detail and the cause, and returns the session ids
// to hide in them.
func (e *opError) writeBody(b *strings.Builder) []string {
	b.WriteString(e.detail)
	secrets := e.secrets
	if e.cause == nil {
		return secrets
	}
	b.WriteString(": ")
	if inner, ok := e.cause.(*opError); ok && inner.server == e.server {
		return append(secrets, inner.writeBody(b)...)
	}
	b.WriteString(e.cause.Error())
	return secrets
}

// Detail returns what err, an error of this package, says went wrong,
// without the operation and server its text opens with; "" for any other
// error. Session ids are shown as fingerprints.
func Detail(err error) string {
	var e *opError
	if !errors.As(err, &e) {
		return ""
	}
	var b strings.Builder
	secrets := e.writeBody(&b)
	return hideSIDs(b.String(), secrets...)
}

func (e *opError) Unwrap() []error {
	errs := []error{e.kind}
	for _, err := range []error{e.cause, e.attached} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// hideSID makes the text of err, an error of this package, show the session
// ids only as fingerprints, and returns it; nil stays nil.
func hideSID(err error, sids ...string) error {
	if e, ok := err.(*opError); ok {
		e.secrets = append(e.secrets, sids...)
	}
	return err
}

// hideInCause replaces sid in the server text a cause carries for a
// details view (raw answer, traceback, fault string).
func hideInCause(cause error, sid string) {
	if sid == "" {
		return
	}
	var (
		de *DecodeError
		re *RPCError
		fe *FaultError
	)
	if errors.As(cause, &de) {
		de.Raw = []byte(hideSIDs(string(de.Raw), sid))
	}
	if errors.As(cause, &re) {
		re.Message, re.Debug = hideSIDs(re.Message, sid), hideSIDs(re.Debug, sid)
	}
	if errors.As(cause, &fe) {
		fe.String = hideSIDs(fe.String, sid)
	}
}

// RPCError is an error Odoo reported in a JSON body: a JSON-RPC "error"
// object (which arrives with HTTP 200) or the {"code", "name"} body of
// base_rest (which arrives with the matching HTTP status). Message and Name
// have been through Sanitize; Debug holds the server's traceback with escape
// sequences removed, for a details view.
type RPCError struct {
	// Code is the JSON-RPC error code (100 session expired, 200 server
	// error) or base_rest's code (equal to the HTTP status).
	Code int
	// Message is the most specific message: data.message when present.
	Message string
	// Name is the server's exception name, e.g. odoo.exceptions.AccessDenied,
	// or base_rest's status name, e.g. Forbidden.
	Name string
	// HTTPStatus is the HTTP status of the answer.
	HTTPStatus int
	// Debug is the server's traceback, when it sent one.
	Debug string
}

// Error describes the error in one line.
func (e *RPCError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("%d %s", e.HTTPStatus, e.Name)
	}
	if e.Name == "" {
		return fmt.Sprintf("odoo error %d: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("odoo error %d %s: %s", e.Code, e.Name, e.Message)
}

// Is maps the error onto the package's sentinels: code 100 and HTTP 401 to
// ErrSessionExpired, AccessDenied and HTTP 403 to ErrAuthFailed, "Database
// not found." to ErrUnknownDatabase, other AccessErrors to ErrAccessDenied,
// 404 to ErrRouteMissing and anything else to ErrServer.
func (e *RPCError) Is(target error) bool {
	return e.kind() == target
}

func (e *RPCError) kind() error {
	switch {
	case e.Code == 100 || strings.HasSuffix(e.Name, "SessionExpiredException") ||
		e.HTTPStatus == 401:
		return ErrSessionExpired
	case strings.HasSuffix(e.Name, ".AccessDenied") || e.HTTPStatus == 403:
		return ErrAuthFailed
	case strings.HasSuffix(e.Name, ".AccessError") &&
		strings.Contains(e.Message, "Database not found"):
		return ErrUnknownDatabase
	case strings.HasSuffix(e.Name, ".AccessError"):
		return ErrAccessDenied
	case e.Code == 404 || e.HTTPStatus == 404:
		return ErrRouteMissing
	default:
		return ErrServer
	}
}

// FaultError is an XML-RPC fault. Odoo sends faults with HTTP 200: code 1
// for an application error (String is then a whole traceback), 2 for a
// warning or an unknown model, 3 for access denied (wrong password), 4 for
// an access error. Legacy endpoints send a string faultCode: it is kept in
// CodeText and Code is then 0 unless the string is a number.
type FaultError struct {
	Code     int
	CodeText string
	// String is the fault string with escape sequences and control
	// characters other than newline and tab removed.
	String string
}

// Error describes the fault in one line: for a traceback, its last line.
func (e *FaultError) Error() string {
	code := strconv.Itoa(e.Code)
	if e.CodeText != "" {
		code = strconv.Quote(Sanitize(e.CodeText, 60))
	}
	return fmt.Sprintf("xml-rpc fault %s: %s", code, Sanitize(faultSummary(e.String), maxErrorText))
}

// Is maps fault 3 and AccessDenied to ErrAuthFailed, fault 4 and
// AccessError to ErrAccessDenied, and the others to ErrServer.
func (e *FaultError) Is(target error) bool {
	return e.kind() == target
}

func (e *FaultError) kind() error {
	text := e.CodeText + " " + faultSummary(e.String)
	switch {
	case e.Code == 3 || strings.Contains(text, "AccessDenied") ||
		strings.HasPrefix(strings.TrimSpace(text), "Access Denied"):
		return ErrAuthFailed
	case e.Code == 4 || strings.Contains(text, "AccessError"):
		return ErrAccessDenied
	default:
		return ErrServer
	}
}

// DecodeError is returned, wrapped, when an answer could not be decoded.
// Raw holds the body as received (at most the client's body limit), so a
// details view can show what the server really sent.
type DecodeError struct {
	// Format is "JSON", "XML-RPC" or "HTML".
	Format string
	Raw    []byte
	Err    error
}

// Error says what could not be decoded and why.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("cannot decode the %s answer: %s", e.Format,
		Sanitize(e.Err.Error(), maxErrorText))
}

// Unwrap returns the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is reports ErrNotOdoo: an undecodable answer is not one Odoo would send.
func (e *DecodeError) Is(target error) bool { return target == ErrNotOdoo }

// faultSummary returns the exception line of a Python traceback (its last
// non-blank line), or the whole text when it is not a traceback.
func faultSummary(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "Traceback") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return s
}
