package demoserver

import "strings"

// revokeDevices is res.device revoke(ids). Like Odoo's @check_identity it
// first answers with a password prompt (an act_window on
// res.users.identitycheck) unless the user confirmed its password in the
// last ten minutes.
func revokeDevices(e *env, args []any, _ map[string]any) (any, *odooError) {
	ids := idList(arg(args, 0))
	if e.c == nil {
		return nil, userError("This method can only be accessed over HTTP")
	}
	if e.c.now.Sub(e.c.sess.identityCheckAt) < identityCheckFor {
		e.revoke(ids)
		return nil, nil
	}
	w := &identityCheck{id: len(e.s.checks) + 1, uid: e.u.ID, revoke: ids}
	e.s.checks = append(e.s.checks, w)
	return record{
		{"type", "ir.actions.act_window"}, {"res_model", "res.users.identitycheck"},
		{"res_id", w.id}, {"name", "Security Control"}, {"target", "new"},
		{"views", []any{[]any{false, "form"}}},
	}, nil
}

// revoke marks devices revoked and deletes their sessions. Revoking the
// current device logs the current session out.
func (e *env) revoke(ids []int) {
	for _, d := range e.visibleDevices() {
		for _, id := range ids {
			if d.id != id {
				continue
			}
			d.revoked = true
			for sid := range e.s.sessions {
				if strings.HasPrefix(sid, d.identifier) {
					delete(e.s.sessions, sid)
				}
			}
			if strings.HasPrefix(e.c.sess.sid, d.identifier) {
				e.s.logout(e.c, true)
			}
		}
	}
}

// identityCheckMethods are the methods of res.users.identitycheck: write
// the password, then run_check, which performs the pending action.
func identityCheckMethods() map[string]method {
	return map[string]method{
		"write":     writeIdentityCheck,
		"run_check": runIdentityCheck,
	}
}

// wizard finds the identity check of the current user named by args[0].
func (e *env) wizard(args []any) (*identityCheck, *odooError) {
	for _, id := range idList(arg(args, 0)) {
		for _, w := range e.s.checks {
			if w.id == id && w.uid == e.u.ID {
				return w, nil
			}
		}
	}
	return nil, &odooError{kind: "MissingError", msg: "Record does not exist or has been deleted."}
}

// writeIdentityCheck is write(ids, {"password": ...}).
func writeIdentityCheck(e *env, args []any, _ map[string]any) (any, *odooError) {
	w, err := e.wizard(args)
	if err != nil {
		return nil, err
	}
	vals, _ := arg(args, 1).(map[string]any)
	w.password, _ = vals["password"].(string)
	return true, nil
}

// runIdentityCheck is run_check(ids): checks the password, records the
// confirmation in the session and performs the pending revocation.
func runIdentityCheck(e *env, args []any, _ map[string]any) (any, *odooError) {
	w, err := e.wizard(args)
	if err != nil {
		return nil, err
	}
	if e.c == nil || !checkPassword(e.u.Password, w.password) {
		return nil, userError("Incorrect Password, try again or click on Forgot Password " +
			"to reset your password.")
	}
	e.c.sess.identityCheckAt = e.c.now
	e.c.dirty = true
	e.revoke(w.revoke)
	return nil, nil
}
