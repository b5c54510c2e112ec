package odoo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"
)

// devicesKeyError is what Odoo 16 and 17 answer to a method of res.device,
// a model they do not have: the web client's KeyError.
const devicesKeyError = `{"jsonrpc": "2.0", "id": null, "error": {"code": 200, "message": "Odoo Server Error",
"data": {"name": "builtins.KeyError", "debug": "Traceback (most recent call last):\nKeyError: 'res.device'\n",
"message": "'res.device'", "arguments": ["res.device"], "context": {}}}}`

func TestDevices(t *testing.T) {
	t.Parallel()
	_, c := newFakeOdoo(t, map[string][]route{
		"POST " + PathCallKW: {func(t *testing.T, r *http.Request, body []byte) answer {
			wantOnly(t, r, TransportCookie, sid18)
			var req struct {
				Params struct {
					Model, Method string
					Kwargs        struct {
						Domain []any
						Fields []string
					}
				}
			}
			if err := json.Unmarshal(body, &req); err != nil {
				t.Fatal(err)
			}
			p := req.Params
			if p.Model != "res.device" || p.Method != "search_read" || len(p.Kwargs.Domain) != 1 ||
				len(p.Kwargs.Fields) == 0 {
				t.Errorf("request %s", body)
			}
			if d, _ := json.Marshal(p.Kwargs.Domain); string(d) != `[["user_id","=",6]]` {
				t.Errorf("domain %s, want the user's devices only", d)
			}
			return jsonFile(t, 200, "odoo18_res_device_search_read.json")
		}},
	})
	devices, err := c.Devices(context.Background(), sid18, TransportCookie, 6)
	if err != nil || len(devices) != 4 {
		t.Fatalf("Devices = %d rows, %v; want the 4 of the recording", len(devices), err)
	}
	first := devices[0]
	want := Device{ID: 11, SessionPrefix: "dfy2ZBimG7oTxI2C6jkDWEKZumHY5WnWpAAysQAZjP", DeviceType: "computer",
		IPAddress: "127.0.0.1", FirstActivity: time.Date(2026, 12, 3, 18, 8, 23, 0, time.UTC),
		LastActivity: time.Date(2026, 12, 3, 18, 8, 23, 0, time.UTC), Current: true}
	if first != want {
		t.Errorf("first row %+v\nwant      %+v", first, want)
	}
	if got := first.Describe(); got != "computer · 127.0.0.1" {
		t.Errorf("Describe = %q", got)
	}
	if devices[1].Current || !devices[3].Is(sid18) || devices[0].Is(sid18) {
		t.Errorf("current %v, last row is sid18 %v, first row is sid18 %v", devices[1].Current,
			devices[3].Is(sid18), devices[0].Is(sid18))
	}
}

func TestDevicesOnOlderOdoo(t *testing.T) {
	t.Parallel()
	_, c := newFakeOdoo(t, map[string][]route{
		"POST " + PathCallKW: {serveRPC(TransportCookie, sid16, jsonAnswer(200, []byte(devicesKeyError)))},
	})
	_, err := c.Devices(context.Background(), sid16, TransportCookie, 6)
	if !errors.Is(err, ErrNoDeviceList) {
		t.Errorf("Devices on Odoo 16 = %v, want ErrNoDeviceList", err)
	}
	assertCleanError(t, err, c.URL())
	if _, err := c.Devices(context.Background(), sid16, TransportCookie, 0); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Devices without a uid = %v, want ErrInvalidInput", err)
	}
}

func TestDeviceDescribe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    Device
		want string
	}{
		{Device{}, "unknown device"},
		{Device{DeviceType: "mobile", Platform: "Android", Browser: "Chrome", IPAddress: "10.0.0.7",
			City: "Liège", Country: "Belgium"}, "mobile · Android · Chrome · 10.0.0.7 · Liège, Belgium"},
		{Device{DeviceType: "computer", Country: "Belgium"}, "computer · Belgium"},
	} {
		if got := tc.d.Describe(); got != tc.want {
			t.Errorf("Describe(%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
