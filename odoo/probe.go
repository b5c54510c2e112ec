package odoo

import (
	"context"
	"fmt"
	"net/http"
)

// RESTRouteAvailable tells whether the server has the login route of
// base_rest_auth_user_service, without logging in. It sends
// GET /session/auth/login: the route only takes POST, so 405 means it
// exists. A 404 is then probed with a credential-less JSON POST: a plain
// 404 page means the route does not exist (stock Odoo 16 and later).
//
// A 404 in JSON is ambiguous: Odoo 15 gives it both when the module is
// missing and when the server hosts several databases and the request's
// session names none. RESTRouteAvailable then returns false with an error
// wrapping ErrNeedDatabase that says so; RESTRouteAvailableOn settles it.
func (c *Client) RESTRouteAvailable(ctx context.Context) (bool, error) {
	return c.probeRoute(ctx, "probe REST route", "")
}

// RESTRouteAvailableOn tells whether the login route of
// base_rest_auth_user_service exists on database db. It first binds a new
// anonymous session to db with GET /web/login?db=NAME (which leaves that
// session on the server), then sends GET /session/auth/login with it.
func (c *Client) RESTRouteAvailableOn(ctx context.Context, db string) (bool, error) {
	const op = "probe REST route"
	if db == "" {
		return false, c.fail(op, ErrInvalidInput, "no database given", nil)
	}
	sid, err := c.bindDatabase(ctx, op, db)
	if err != nil {
		return false, err
	}
	return c.probeRoute(ctx, op, sid)
}

func (c *Client) probeRoute(ctx context.Context, op, sid string) (bool, error) {
	k := call{op: op, method: http.MethodGet, path: PathRESTLogin}
	if sid != "" {
		k.sid, k.transport = sid, TransportHeader
	}
	r, err := c.do(ctx, k)
	if err != nil {
		return false, err
	}
	switch r.status {
	case http.StatusMethodNotAllowed:
		return true, nil
	case http.StatusNotFound:
		if sid != "" {
			return false, nil
		}
	default:
		return false, c.statusError(k, r)
	}
	k.method, k.body, k.contentType = http.MethodPost, []byte("{}"), "application/json"
	r, err = c.do(ctx, k)
	if err != nil {
		return false, err
	}
	switch {
	case is404JSON(r):
		return false, c.fail(op, ErrNeedDatabase, fmt.Sprintf("ambiguous: %s answered 404 in JSON, "+
			"which Odoo 15 gives both when %s is missing and when the server hosts several "+
			"databases and the request names none: probe a given database", PathRESTLogin,
			moduleRESTAuthUser), nil)
	case r.status == http.StatusNotFound:
		return false, nil
	case r.isJSON() && r.status >= 400 && r.status < 600 && decodeJSONError(r) != nil:
		return true, nil // the route answered (missing credentials)
	}
	return false, c.statusError(k, r)
}
