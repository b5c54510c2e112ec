package demoserver

import "fmt"

// odooError is an exception raised by the object layer. It becomes a
// JSON-RPC error (code 200) or an XML-RPC fault.
type odooError struct {
	kind string // AccessDenied, AccessError, UserError, MissingError, or a Python builtin
	msg  string
}

// accessDenied is a wrong login or password.
func accessDenied() *odooError {
	return &odooError{kind: "AccessDenied", msg: "Access Denied"}
}

// accessError is a right the user lacks.
func accessError(msg string) *odooError {
	return &odooError{kind: "AccessError", msg: msg}
}

// userError is Odoo's warning, raised for an unknown model among others.
func userError(msg string) *odooError {
	return &odooError{kind: "UserError", msg: msg}
}

// internalError is any other Python exception, such as AttributeError.
func internalError(kind, msg string) *odooError {
	return &odooError{kind: kind, msg: msg}
}

// exception is the Python name of the error, as in JSON-RPC data.name.
func (e *odooError) exception() string {
	switch e.kind {
	case "AccessDenied", "AccessError", "UserError", "MissingError", "ValidationError":
		return "odoo.exceptions." + e.kind
	}
	return "builtins." + e.kind
}

// faultCode is the XML-RPC fault code Odoo gives the error: 3 access
// denied, 4 access error, 2 warning, 1 anything else.
func (e *odooError) faultCode() int {
	switch e.kind {
	case "AccessDenied":
		return 3
	case "AccessError":
		return 4
	case "UserError", "MissingError", "ValidationError":
		return 2
	}
	return 1
}

// faultString is the fault text: the message, or a traceback for code 1.
func (e *odooError) faultString() string {
	if e.faultCode() == 1 {
		return fmt.Sprintf("Traceback (most recent call last):\n"+
			"  File \"odoo/service/model.py\", in execute_cr\n"+
			"    result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)\n"+
			"%s: %s\n", e.kind, e.msg)
	}
	return e.msg
}

// rightsError is the text of Odoo's AccessError for a model a group guards.
func rightsError(verb, label, model, group string) *odooError {
	return accessError(fmt.Sprintf("You are not allowed to %s '%s' (%s) records.\n\n"+
		"This operation is allowed for the following groups:\n\t- %s\n\n"+
		"Contact your administrator to request access if necessary.", verb, label, model, group))
}
