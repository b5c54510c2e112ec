package odoo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kolo/xmlrpc"
)

// NOTE: kolo/xmlrpc's Client runs on net/rpc: no context, no timeout unless
// its transport has one, a private cookie jar, faults folded into an error
// string, and the body thrown away when decoding fails. This package uses
// only its encoder (EncodeMethodCall) and decoder (Response.Unmarshal) and
// sends the request itself, through the client's http.Client.

var faultRx = regexp.MustCompile(`(?s)^\s*(<\?xml[^>]*\?>)?\s*<methodResponse>\s*<fault>`)

// xmlCall calls an XML-RPC method and decodes the result into generic
// values (map[string]any, []any, int64, float64, string, bool, time.Time),
// so Odoo's false, 0 and "" stay distinct. kolo/xmlrpc decodes both
// <nil/> and an empty <string></string> as nil.
func (c *Client) xmlCall(ctx context.Context, op, path, method string, args ...any) (any, error) {
	if err := checkXMLArgs(args); err != nil {
		return nil, c.fail(op, ErrInvalidInput, "refused to send the request", err)
	}
	if args == nil {
		args = []any{} // an empty, non-nil list makes the encoder write <params></params>
	}
	body, err := xmlrpc.EncodeMethodCall(method, args...)
	if err != nil {
		return nil, c.fail(op, ErrInvalidInput, "cannot encode the request", err)
	}
	k := call{op: op, method: http.MethodPost, path: path, body: body, contentType: "text/xml",
		want: "XML-RPC"}
	r, err := c.do(ctx, k)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK || r.isHTML() || r.isJSON() {
		return nil, c.statusError(k, r)
	}
	clean := xmlSafe(r.body)
	if faultRx.Match(clean) {
		return nil, c.fault(op, r.body, clean)
	}
	var v any
	if err := xmlrpc.Response(clean).Unmarshal(&v); err != nil {
		return nil, c.fail(op, ErrNotOdoo, path+" answered 200 with XML that is not an XML-RPC answer",
			&DecodeError{Format: "XML-RPC", Raw: r.body, Err: err})
	}
	return v, nil
}

// fault decodes an XML-RPC fault. kolo/xmlrpc's own FaultError wants an
// integer faultCode; legacy endpoints send a string, so a generic map is
// decoded instead.
func (c *Client) fault(op string, raw, clean []byte) error {
	var v any
	err := xmlrpc.Response(clean).Unmarshal(&v)
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		if err == nil {
			err = errors.New("fault is not a struct")
		}
		return c.fail(op, ErrNotOdoo, "cannot read the XML-RPC fault",
			&DecodeError{Format: "XML-RPC", Raw: raw, Err: err})
	}
	f := &FaultError{}
	switch code := m["faultCode"].(type) {
	case int64:
		f.Code = int(code)
	case string:
		f.CodeText = cleanMultiline(code)
		f.Code, _ = strconv.Atoi(strings.TrimSpace(code))
	}
	if s, ok := m["faultString"].(string); ok {
		f.String = cleanMultiline(s)
	}
	return c.fail(op, f.kind(), "the server answered with a fault", f)
}

// checkXMLArgs refuses nil anywhere in the arguments: kolo/xmlrpc writes a
// top-level nil as an empty <param>, which Odoo drops, shifting every later
// argument; nested, it becomes an empty value. Send an empty list or dict.
func checkXMLArgs(args []any) error {
	for i, a := range args {
		if err := checkXMLValue(a); err != nil {
			return fmt.Errorf("argument %d: %w", i+1, err)
		}
	}
	return nil
}

func checkXMLValue(v any) error {
	switch t := v.(type) {
	case nil:
		return errors.New("nil value: send an empty list or dict instead")
	case []any:
		return checkXMLArgs(t)
	case map[string]any:
		for _, e := range t {
			if err := checkXMLValue(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// xmlSafe replaces what XML 1.0 forbids (control characters other than tab,
// newline and carriage return, U+FFFE, U+FFFF, invalid UTF-8) with U+FFFD.
// Python's xmlrpc writes such characters as they are, and one of them makes
// Go's XML decoder reject the whole answer.
func xmlSafe(b []byte) []byte {
	if !bytes.ContainsFunc(b, xmlForbidden) && utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if xmlForbidden(r) {
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
		b = b[size:]
	}
	return out
}

func xmlForbidden(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xfffe || r == 0xffff
}

// Version returns the server's version from /xmlrpc/2/common version, which
// needs no login.
func (c *Client) Version(ctx context.Context) (ServerVersion, error) {
	const op = "server version"
	v, err := c.xmlCall(ctx, op, pathXMLRPCCommon, "version")
	if err != nil {
		return ServerVersion{}, err
	}
	m, _ := v.(map[string]any)
	version, _ := m["server_version"].(string)
	if version == "" {
		return ServerVersion{}, c.fail(op, ErrNotOdoo, "the answer has no server_version", nil)
	}
	sv := ServerVersion{Version: Sanitize(version, 60)}
	if info, ok := m["server_version_info"].([]any); ok && len(info) > 0 {
		major, _ := info[0].(int64)
		sv.Major = int(major)
	}
	if sv.Major == 0 {
		sv.Major = leadingNumber(strings.TrimPrefix(version, "saas~"))
	}
	if p, ok := m["protocol_version"].(int64); ok {
		sv.Protocol = int(p)
	}
	return sv, nil
}

func leadingNumber(s string) int {
	end := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(s)
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// ListDatabases returns the databases from /xmlrpc/2/db list. The list is
// not filtered by the server's db filter, so it may name databases the web
// routes refuse. A server with listing turned off answers with an access
// fault: the error then wraps ErrListingDisabled.
func (c *Client) ListDatabases(ctx context.Context) ([]string, error) {
	const op = "list databases"
	v, err := c.xmlCall(ctx, op, pathXMLRPCDB, "list")
	var f *FaultError
	if errors.As(err, &f) && f.kind() == ErrAuthFailed {
		return nil, c.fail(op, ErrListingDisabled, "the server refuses to list its databases "+
			"(its list_db option is off)", f)
	}
	if err != nil {
		return nil, err
	}
	items, ok := v.([]any)
	if !ok && v != nil {
		return nil, c.fail(op, ErrNotOdoo, "the answer is not a list", nil)
	}
	dbs := make([]string, 0, len(items))
	for _, it := range items {
		name, ok := it.(string)
		if !ok {
			return nil, c.fail(op, ErrNotOdoo, "the list holds something other than names", nil)
		}
		dbs = append(dbs, name)
	}
	return dbs, nil
}

// ModuleState returns the state of module on database db ("installed",
// "uninstalled", "to upgrade", ...), or "" when the server does not know
// the module at all. It logs in with /xmlrpc/2/common authenticate and reads
// ir.module.module with search_read through /xmlrpc/2/object; reading
// modules takes an administrator. A user with two-factor authentication
// needs an API key as password here.
func (c *Client) ModuleState(ctx context.Context, db, login, password, module string) (string, error) {
	const op = "module state"
	if db == "" || login == "" || password == "" || module == "" {
		return "", c.fail(op, ErrInvalidInput, "database, login, password and module are all needed", nil)
	}
	uid, err := c.xmlAuthenticate(ctx, op, db, login, password)
	if err != nil {
		return "", err
	}
	domain := []any{[]any{"name", "=", module}}
	v, err := c.xmlCall(ctx, op, pathXMLRPCObject, "execute_kw", db, uid, password,
		"ir.module.module", "search_read", []any{domain},
		map[string]any{"fields": []any{"name", "state"}, "limit": 1})
	if err != nil {
		return "", err
	}
	rows, ok := v.([]any)
	if !ok && v != nil {
		return "", c.fail(op, ErrNotOdoo, "search_read did not answer a list", nil)
	}
	if len(rows) == 0 {
		return "", nil
	}
	row, _ := rows[0].(map[string]any)
	state, ok := row["state"].(string)
	if !ok {
		return "", c.fail(op, ErrNotOdoo, "the module row has no state", nil)
	}
	return Sanitize(state, 60), nil
}

// xmlAuthenticate returns the uid of login on db. Odoo answers false, not a
// fault, to a wrong password.
func (c *Client) xmlAuthenticate(ctx context.Context, op, db, login, password string) (int64, error) {
	v, err := c.xmlCall(ctx, op, pathXMLRPCCommon, "authenticate", db, login, password, map[string]any{})
	var f *FaultError
	if errors.As(err, &f) && strings.Contains(f.String, "does not exist") {
		return 0, c.fail(op, ErrUnknownDatabase, fmt.Sprintf("there is no database %q",
			Sanitize(db, 60)), f)
	}
	if err != nil {
		return 0, err
	}
	switch uid := v.(type) {
	case int64:
		if uid > 0 {
			return uid, nil
		}
	case bool:
		return 0, c.fail(op, ErrAuthFailed, "authenticate answered false: wrong login or password "+
			"(a user with two-factor authentication needs an API key here)", nil)
	}
	return 0, c.fail(op, ErrNotOdoo, "authenticate answered neither a uid nor false", nil)
}
