package demoserver

import (
	"fmt"
	"slices"
)

// env is what a model method sees: the database, the user and, for calls
// made through /web/dataset/call_kw, the HTTP call and its session.
type env struct {
	s *Server
	d *database
	u *User
	c *call // nil over XML-RPC and /jsonrpc
}

// method is one callable model method.
type method func(e *env, args []any, kw map[string]any) (any, *odooError)

// dispatchRPC runs an XML-RPC service call, also reached through /jsonrpc.
func (s *Server) dispatchRPC(service, name string, args []any) (any, *odooError) {
	switch service + "." + name {
	case "common.version":
		return s.p.versionInfo(), nil
	case "common.authenticate", "common.login":
		return s.rpcAuthenticate(args)
	case "db.list":
		if !s.listDB {
			return nil, accessDenied()
		}
		return stringsToAny(s.dbNames), nil
	case "db.server_version":
		return s.p.serverVersion, nil
	case "object.execute_kw", "object.execute":
		return s.executeKW(name == "execute_kw", args)
	}
	return nil, internalError("NameError", fmt.Sprintf("Method not available %s", name))
}

// rpcAuthenticate is common.authenticate(db, login, password, env): the
// uid, or false. A two-factor user needs its API key here.
func (s *Server) rpcAuthenticate(args []any) (any, *odooError) {
	db, login, password := argString(args, 0), argString(args, 1), argString(args, 2)
	d := s.dbs[db]
	if d == nil {
		return nil, unknownDatabase(db)
	}
	u := d.userByLogin(login)
	if !d.authenticateRPC(u, password) {
		return false, nil
	}
	return u.ID, nil
}

// unknownDatabase is the error PostgreSQL gives for a missing database.
func unknownDatabase(db string) *odooError {
	return internalError("psycopg2.OperationalError",
		fmt.Sprintf("FATAL:  database %q does not exist", db))
}

// executeKW runs object.execute_kw(db, uid, password, model, method, args,
// kwargs), or object.execute with the arguments inline.
func (s *Server) executeKW(kw bool, args []any) (any, *odooError) {
	d := s.dbs[argString(args, 0)]
	if d == nil {
		return nil, unknownDatabase(argString(args, 0))
	}
	uid, _ := toInt(arg(args, 1))
	u := d.userByID(uid)
	if !d.authenticateRPC(u, argString(args, 2)) {
		return nil, accessDenied()
	}
	rest := slices.Clone(args[min(len(args), 5):])
	kwargs := map[string]any{}
	if kw {
		rest, _ = arg(args, 5).([]any)
		if m, ok := arg(args, 6).(map[string]any); ok {
			kwargs = m
		}
	}
	e := &env{s: s, d: d, u: u}
	return e.call(argString(args, 3), argString(args, 4), rest, kwargs)
}

// callKW is /web/dataset/call_kw: a model method as the session's user.
func (s *Server) callKW(c *call, params map[string]any) (any, *rpcError) {
	args, _ := params["args"].([]any)
	kwargs, _ := params["kwargs"].(map[string]any)
	e := &env{s: s, d: s.dbs[c.sess.db], u: s.sessionUser(c), c: c}
	if e.d == nil || e.u == nil {
		return nil, errSessionExpired()
	}
	res, oe := e.call(str(params, "model"), str(params, "method"), args, kwargs)
	if oe != nil {
		return nil, errServer(oe)
	}
	return res, nil
}

// call finds a model method and runs it.
func (e *env) call(model, name string, args []any, kw map[string]any) (any, *odooError) {
	methods := e.models()[model]
	if methods == nil {
		return nil, userError(fmt.Sprintf("Object %s doesn't exist", model))
	}
	m := methods[name]
	if m == nil {
		return nil, internalError("AttributeError",
			fmt.Sprintf("'%s' object has no attribute '%s'", model, name))
	}
	return m(e, args, kw)
}

// models lists the models the server knows and their methods.
func (e *env) models() map[string]map[string]method {
	out := map[string]map[string]method{
		"res.users":           tableMethods(usersTable, map[string]method{"write": writeUsers}),
		"ir.module.module":    tableMethods(modulesTable, nil),
		"ir.config_parameter": tableMethods(paramsTable, nil),
	}
	if e.s.p.major >= 18 {
		out["res.device"] = tableMethods(devicesTable, map[string]method{"revoke": revokeDevices})
		out["res.device.log"] = tableMethods(deviceLogTable, nil)
		out["res.users.identitycheck"] = identityCheckMethods()
	}
	return out
}

// arg returns args[i], nil when missing.
func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// argString returns args[i] as a string, "" when missing.
func argString(args []any, i int) string {
	v, _ := arg(args, i).(string)
	return v
}

// toInt converts a JSON or XML-RPC number.
func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case float64:
		return int(n), n == float64(int(n))
	}
	return 0, false
}
