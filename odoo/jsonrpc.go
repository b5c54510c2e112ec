package odoo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// rpcEnvelope is a JSON-RPC answer. A successful call may have no "result"
// at all: Odoo drops a null result (/web/session/check does this). Odoo
// always sends "jsonrpc": "2.0", errors included.
type rpcEnvelope struct {
	JSONRPC string          `json:"jsonrpc"`
	Result  json.RawMessage `json:"result"`
	Error   *rpcErrorBody   `json:"error"`
}

// What good answers hold, for errors that say what came back instead.
const (
	expectJSONRPC     = `a JSON-RPC answer ("jsonrpc": "2.0")`
	expectRESTLogin   = "a session_info with uid and session.sid"
	expectRESTLogout  = `{"message": "Successful logout"}`
	expectSessionInfo = "a session_info with uid as result"
)

type rpcErrorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Name    string `json:"name"`
		Message string `json:"message"`
		Debug   string `json:"debug"`
	} `json:"data"`
}

// restErrorBody is base_rest's error body: {"code": 403, "name": "Forbidden"}.
type restErrorBody struct {
	Code int    `json:"code"`
	Name string `json:"name"`
}

func (b *rpcErrorBody) toError(status int) *RPCError {
	msg := b.Data.Message
	if msg == "" {
		msg = b.Message
	}
	return &RPCError{
		Code:       b.Code,
		Message:    Sanitize(msg, maxErrorText),
		Name:       Sanitize(b.Data.Name, maxErrorText),
		HTTPStatus: status,
		Debug:      cleanMultiline(b.Data.Debug),
	}
}

// jsonRPC posts a JSON-RPC call with params (never null) and returns the
// result. Odoo reports failures inside an HTTP 200, so the "error" member is
// checked whatever the status; the reply is returned with any error so
// callers can read its status and cookies. An answer without
// "jsonrpc": "2.0" is not Odoo's, whatever else it holds.
func (c *Client) jsonRPC(ctx context.Context, k call, params any) (json.RawMessage, *reply, error) {
	if params == nil {
		params = struct{}{}
	}
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "params": params})
	if err != nil {
		return nil, nil, c.failCall(k, ErrInvalidInput, "cannot encode the request", err)
	}
	k.method, k.body, k.contentType = http.MethodPost, body, "application/json"
	if k.expect == "" {
		k.expect = expectJSONRPC
	}
	r, err := c.do(ctx, k)
	if err != nil {
		return nil, nil, err
	}
	if !r.isJSON() || r.isHTML() {
		return nil, r, c.statusError(k, r)
	}
	var env rpcEnvelope
	if err := json.Unmarshal(r.body, &env); err != nil {
		return nil, r, c.failCall(k, ErrNotOdoo, fmt.Sprintf("%s answered %d with malformed JSON",
			k.path, r.status), &DecodeError{Format: "JSON", Raw: r.body, Err: err})
	}
	if env.JSONRPC != "2.0" {
		k.expect = expectJSONRPC
		return nil, r, c.unexpectedJSON(k, r, describeJSON(r.body))
	}
	if env.Error != nil {
		rpcErr := env.Error.toError(r.status)
		return nil, r, c.failCall(k, rpcErr.kind(), fmt.Sprintf("%s refused the call (%s)", k.path,
			rpcErr.kind()), rpcErr)
	}
	if r.status != http.StatusOK {
		return nil, r, c.statusError(k, r)
	}
	return env.Result, r, nil
}

// statusError describes an answer that is not the expected one: an HTTP
// error status, a JSON body of the wrong shape, or HTML where JSON was due.
// Only what Odoo sends on these routes is classified as Odoo's; anything
// else wraps ErrNotOdoo.
func (c *Client) statusError(k call, r *reply) error {
	where := fmt.Sprintf("%s answered %d", k.path, r.status)
	switch {
	case r.isJSON():
		if rpcErr := decodeJSONError(r); rpcErr != nil {
			return c.failCall(k, rpcErr.kind(), where+": "+rpcErr.kind().Error(), rpcErr)
		}
		return c.unexpectedJSON(k, r, describeJSON(r.body))
	case r.status >= 300 && r.status < 400:
		return c.failCall(k, ErrNotOdoo, fmt.Sprintf("%s, a redirect to %q, where %s was due "+
			"(a proxy or login portal in front of Odoo?)", where,
			Sanitize(r.header.Get("Location"), 80), k.format()), nil)
	case r.isHTML():
		return c.htmlError(k, r, where)
	}
	kind := ErrNotOdoo
	switch {
	case r.status == http.StatusNotFound:
		kind = ErrRouteMissing
	case r.status == http.StatusInternalServerError || isGateway(r.status):
		kind = ErrServer
	}
	return c.failCall(k, kind, fmt.Sprintf("%s with content type %q: %s", where,
		Sanitize(r.contentType(), 60), Sanitize(string(r.body), maxErrorText)), nil)
}

// unexpectedJSON describes a JSON answer that Odoo would not give: what was
// expected and what came back, in words (see describeJSON).
func (c *Client) unexpectedJSON(k call, r *reply, what string) error {
	if isGateway(r.status) {
		return c.failCall(k, ErrServer, fmt.Sprintf("%s answered %d with %s", k.path, r.status,
			what), nil)
	}
	e := c.failCall(k, ErrNotOdoo, fmt.Sprintf("%s answered %d: expected %s, got %s", k.path,
		r.status, k.expected(), what), nil).(*opError)
	// The raw answer rides along for a details view; the DecodeError also
	// wraps ErrNotOdoo, which is why a gateway's answer above goes without.
	raw := &DecodeError{Format: "JSON", Raw: r.body, Err: errors.New("not " + k.expected())}
	hideInCause(raw, k.sid)
	e.attached = raw
	return e
}

// htmlError describes an HTML page where something else was due. Odoo's
// own error pages (and a gateway's, when Odoo behind it is down) are
// server errors and a 404 page means the route is missing; any other page
// comes from something that is not Odoo.
func (c *Client) htmlError(k call, r *reply, where string) error {
	switch {
	case r.status == http.StatusOK:
		return c.failCall(k, ErrNotOdoo, where+" with an HTML page where "+k.format()+" was due "+
			"(a proxy or login portal in front of Odoo?): "+htmlSummary(r.body), nil)
	case r.status == http.StatusNotFound:
		return c.failCall(k, ErrRouteMissing, where+" with an HTML page: "+htmlSummary(r.body), nil)
	case isOdooErrorPage(r.status, r.body) || isGateway(r.status):
		return c.failCall(k, ErrServer, where+" with an error page: "+htmlSummary(r.body), nil)
	}
	page := "an HTML page without a title"
	if title := htmlTitle(r.body); title != "" {
		page = fmt.Sprintf("an HTML page titled %q", title)
	}
	return c.failCall(k, ErrNotOdoo, fmt.Sprintf("%s with %s: not an Odoo server?", where, page), nil)
}

// decodeJSONError reads a JSON-RPC error object or base_rest's error body.
func decodeJSONError(r *reply) *RPCError {
	var env rpcEnvelope
	if json.Unmarshal(r.body, &env) == nil && env.Error != nil {
		return env.Error.toError(r.status)
	}
	// base_rest's body repeats the HTTP status as its code; a session_info
	// also has a "name", but no "code".
	var rest restErrorBody
	if json.Unmarshal(r.body, &rest) == nil && rest.Name != "" && rest.Code == r.status &&
		r.status >= 400 {
		return &RPCError{Code: rest.Code, Name: Sanitize(rest.Name, maxErrorText), HTTPStatus: r.status}
	}
	return nil
}

// is404JSON reports Odoo 15's no-database 404: a JSON-RPC error with code
// 404, sent when a server with several databases gets a request whose
// session names none.
func is404JSON(r *reply) bool {
	if r == nil || r.status != http.StatusNotFound || !r.isJSON() {
		return false
	}
	e := decodeJSONError(r)
	return e != nil && e.Code == http.StatusNotFound
}

// is404HTML reports a plain 404 page: the route does not exist at all
// (stock Odoo 16 and later without base_rest_auth_user_service).
func is404HTML(r *reply) bool {
	return r != nil && r.status == http.StatusNotFound && !r.isJSON()
}

// sessionInfoJSON is the part of session_info that is decoded. Odoo writes
// false for many empty values, so the flexible types accept it.
type sessionInfoJSON struct {
	UID           flexInt    `json:"uid"`
	Name          flexString `json:"name"`
	Username      flexString `json:"username"`
	DB            flexString `json:"db"`
	ServerVersion flexString `json:"server_version"`
	CompanyID     flexInt    `json:"company_id"`
	PartnerID     flexInt    `json:"partner_id"`
	IsAdmin       bool       `json:"is_admin"`
	IsSystem      bool       `json:"is_system"`
	UserContext   struct {
		TZ flexString `json:"tz"`
	} `json:"user_context"`
	UserCompanies struct {
		Current flexInt `json:"current_company"`
		Allowed map[string]struct {
			Name flexString `json:"name"`
		} `json:"allowed_companies"`
	} `json:"user_companies"`
	Session *struct {
		SID       string `json:"sid"`
		ExpiresAt string `json:"expires_at"`
	} `json:"session"`
}

// sessionInfoResult decodes the session_info that a JSON-RPC call of k
// returned as result. A result without a uid key is not a session_info.
func (c *Client) sessionInfoResult(k call, r *reply, result json.RawMessage) (SessionInfo, error) {
	k.expect = expectSessionInfo
	switch {
	case len(result) == 0:
		return SessionInfo{}, c.unexpectedJSON(k, r, "no result")
	case !hasKey(result, "uid"):
		return SessionInfo{}, c.unexpectedJSON(k, r, describeJSON(result))
	}
	info, _, err := decodeSessionInfo(result)
	if err != nil {
		return SessionInfo{}, c.failCall(k, ErrNotOdoo, k.path+" answered a session_info that "+
			"cannot be read", &DecodeError{Format: "JSON", Raw: r.body, Err: err})
	}
	return info, nil
}

// decodeSessionInfo decodes session_info. Display strings go through
// Sanitize; raw keeps the server's bytes. A null uid (two-factor pending)
// decodes as 0.
func decodeSessionInfo(raw json.RawMessage) (SessionInfo, *sessionInfoJSON, error) {
	var s sessionInfoJSON
	if err := json.Unmarshal(raw, &s); err != nil {
		return SessionInfo{}, nil, err
	}
	company := s.CompanyID
	if company == 0 {
		company = s.UserCompanies.Current // Odoo 17 and later dropped company_id
	}
	info := SessionInfo{
		UID:           int(s.UID),
		Name:          Sanitize(string(s.Name), maxErrorText),
		Username:      Sanitize(string(s.Username), maxErrorText),
		DB:            Sanitize(string(s.DB), maxErrorText),
		ServerVersion: Sanitize(string(s.ServerVersion), 60),
		CompanyID:     int(company),
		PartnerID:     int(s.PartnerID),
		IsAdmin:       s.IsAdmin,
		IsSystem:      s.IsSystem,
		TZ:            Sanitize(string(s.UserContext.TZ), 60),
		Raw:           append(json.RawMessage(nil), raw...),
	}
	if c, ok := s.UserCompanies.Allowed[strconv.Itoa(int(company))]; ok {
		info.CompanyName = Sanitize(string(c.Name), maxErrorText)
	}
	return info, &s, nil
}

// expiresLayout is the module's expires_at format: UTC without a zone.
const expiresLayout = "2006-01-02 15:04:05"

func parseExpiresAt(s string) (time.Time, error) {
	return time.ParseInLocation(expiresLayout, s, time.UTC)
}

// flexString decodes a JSON string, or false/null as "".
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if isFalsy(b) {
		*f = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*f = flexString(s)
	return nil
}

// flexInt decodes a JSON integer, the id of a [id, name] pair, or
// false/null as 0.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	if isFalsy(b) {
		*f = 0
		return nil
	}
	var pair []json.RawMessage
	if json.Unmarshal(b, &pair) == nil && len(pair) > 0 {
		b = pair[0]
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexInt(n)
	return nil
}

func isFalsy(b []byte) bool {
	b = bytes.TrimSpace(b)
	return bytes.Equal(b, []byte("false")) || bytes.Equal(b, []byte("null"))
}
