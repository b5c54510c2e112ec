package odoo

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var paramRx = regexp.MustCompile(`<param>`)

// xmlMethod is a route for an XML-RPC call that checks the method name and
// the number of top-level params.
func xmlMethod(method string, params int, a answer) route {
	return func(t *testing.T, r *http.Request, body []byte) answer {
		wantOnly(t, r, "", "")
		if ct := r.Header.Get("Content-Type"); ct != "text/xml" {
			t.Errorf("XML-RPC Content-Type %q", ct)
		}
		b := string(body)
		if !strings.Contains(b, "<methodName>"+method+"</methodName>") || !strings.Contains(b, "<params>") {
			t.Errorf("XML-RPC body %q is not a call of %s with <params>", b, method)
		}
		if n := len(paramRx.FindAllString(b, -1)); n != params {
			t.Errorf("XML-RPC %s sent %d params, want %d", method, n, params)
		}
		if strings.Contains(b, "<value/>") || strings.Contains(b, "<param></param>") {
			t.Errorf("XML-RPC body %q has an empty value", b)
		}
		return a
	}
}

func xmlResponse(value string) []byte {
	return []byte("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value>" + value +
		"</value>\n</param>\n</params>\n</methodResponse>\n")
}

func TestVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want ServerVersion
	}{
		{"odoo15_xmlrpc_version.xml", ServerVersion{Version: "15.0-20220805", Major: 15, Protocol: 1}},
		{"odoo18_xmlrpc_version.xml", ServerVersion{Version: "18.0-20250702", Major: 18, Protocol: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			_, c := newFakeOdoo(t, map[string][]route{
				"POST /xmlrpc/2/common": {xmlMethod("version", 0, xmlAnswer(readTestdata(t, tt.file)))},
			})
			got, err := c.Version(context.Background())
			if err != nil || got != tt.want {
				t.Errorf("Version = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestListDatabases(t *testing.T) {
	t.Parallel()
	_, c := newFakeOdoo(t, map[string][]route{
		"POST /xmlrpc/2/db": {
			xmlMethod("list", 0, xmlFile(t, "odoo15_xmlrpc_db_list.xml")),
			xmlMethod("list", 0, xmlFile(t, "odoo15_xmlrpc_fault_3.xml")),
		},
	})
	got, err := c.ListDatabases(context.Background())
	if diff := cmp.Diff([]string{"qa", "qa2"}, got); diff != "" || err != nil {
		t.Errorf("ListDatabases = %v, %v (-want +got):\n%s", got, err, diff)
	}
	_, err = c.ListDatabases(context.Background())
	var f *FaultError
	if !errors.Is(err, ErrListingDisabled) || !errors.As(err, &f) || f.Code != 3 {
		t.Errorf("ListDatabases error = %v, want ErrListingDisabled with fault 3", err)
	}
}

func TestModuleState(t *testing.T) {
	t.Parallel()
	auth := xmlMethod("authenticate", 4, xmlFile(t, "odoo15_xmlrpc_authenticate_ok.xml"))
	object := func(file string) []route { return []route{xmlMethod("execute_kw", 7, xmlFile(t, file))} }
	tests := []struct {
		name    string
		routes  map[string][]route
		want    string
		wantErr error
	}{
		{"installed", map[string][]route{
			"POST /xmlrpc/2/common": {auth},
			"POST /xmlrpc/2/object": object("odoo15_xmlrpc_module_state.xml"),
		}, "installed", nil},
		{"uninstalled, latest_version false", map[string][]route{
			"POST /xmlrpc/2/common": {auth},
			"POST /xmlrpc/2/object": object("odoo16_xmlrpc_module_rows.xml"),
		}, "uninstalled", nil},
		{"unknown module", map[string][]route{
			"POST /xmlrpc/2/common": {auth},
			"POST /xmlrpc/2/object": object("odoo16_xmlrpc_module_absent.xml"),
		}, "", nil},
		{"not an administrator", map[string][]route{
			"POST /xmlrpc/2/common": {auth},
			"POST /xmlrpc/2/object": object("odoo16_xmlrpc_fault_4.xml"),
		}, "", ErrAccessDenied},
		{"wrong password answers false", map[string][]route{
			"POST /xmlrpc/2/common": {xmlMethod("authenticate", 4,
				xmlFile(t, "odoo16_xmlrpc_authenticate_false.xml"))},
		}, "", ErrAuthFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, c := newFakeOdoo(t, tt.routes)
			got, err := c.ModuleState(context.Background(), "qa", "admin", "admin", "base_rest")
			if got != tt.want || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("ModuleState = %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
			}
			if left := f.unserved(); len(left) > 0 {
				t.Errorf("requests not made: %v", left)
			}
		})
	}
}

// TestXMLRPCFaults covers kolo/xmlrpc's first trap: its client folds a fault
// into an error string. Faults are decoded here into *FaultError.
func TestXMLRPCFaults(t *testing.T) {
	t.Parallel()
	legacy := []byte("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n" +
		"<member>\n<name>faultCode</name>\n<value><string>AccessDenied</string></value>\n</member>\n" +
		"<member>\n<name>faultString</name>\n<value><string>Access Denied\x1b[2J</string></value>\n</member>\n" +
		"</struct></value>\n</fault>\n</methodResponse>\n")
	tests := []struct {
		name     string
		body     []byte
		code     int
		codeText string
		want     error
		summary  string
	}{
		{"fault 1 traceback", readTestdata(t, "odoo16_xmlrpc_fault_1.xml"), 1, "", ErrServer,
			"AttributeError: type object 'res.users' has no attribute 'no_such_method'"},
		{"fault 2 unknown model", readTestdata(t, "odoo16_xmlrpc_fault_2.xml"), 2, "", ErrServer,
			"Object no.such.model doesn't exist"},
		{"fault 3 access denied", readTestdata(t, "odoo15_xmlrpc_fault_3.xml"), 3, "", ErrAuthFailed,
			"Access Denied"},
		{"fault 4 access error", readTestdata(t, "odoo16_xmlrpc_fault_4.xml"), 4, "", ErrAccessDenied,
			"You are not allowed to access 'Module' (ir.module.module) records. This operation"},
		{"string faultCode", legacy, 0, "AccessDenied", ErrAuthFailed, `fault "AccessDenied": Access Denied`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, c := newFakeOdoo(t, map[string][]route{
				"POST /xmlrpc/2/object": {xmlMethod("ping", 0, xmlAnswer(tt.body))},
			})
			_, err := c.xmlCall(context.Background(), "call", pathXMLRPCObject, "ping")
			var f *FaultError
			if !errors.As(err, &f) || f.Code != tt.code || f.CodeText != tt.codeText ||
				!errors.Is(err, tt.want) {
				t.Fatalf("xmlCall error = %v (%+v), want fault %d %q as %v", err, f, tt.code,
					tt.codeText, tt.want)
			}
			assertCleanError(t, err, c.URL())
			if !strings.Contains(err.Error(), tt.summary) || strings.Contains(err.Error(), "Traceback") {
				t.Errorf("error %q lacks the summary %q", err, tt.summary)
			}
		})
	}
}

// TestXMLRPCDecoding covers the decoding traps: nil, false, 0 and "" must
// stay apart; a control character must not break the answer; an undecodable
// answer keeps its raw bytes.
func TestXMLRPCDecoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    []byte
		want    any
		wantErr error
	}{
		{"nil false zero empty", xmlResponse("<struct>" +
			"<member><name>none</name><value><nil/></value></member>" +
			"<member><name>no</name><value><boolean>0</boolean></value></member>" +
			"<member><name>zero</name><value><int>0</int></value></member>" +
			"<member><name>empty</name><value><string></string></value></member>" +
			"<member><name>text</name><value><string>x</string></value></member>" +
			"</struct>"),
			// NOTE: kolo/xmlrpc decodes an empty <string> as nil, like <nil/>.
			map[string]any{"none": nil, "no": false, "zero": int64(0), "empty": nil, "text": "x"}, nil},
		{"control characters", xmlResponse("<string>Evil\x01\x1b[2J name</string>"),
			"Evil\ufffd\ufffd[2J name", nil},
		{"not XML-RPC", []byte("<?xml version='1.0'?><oops>"), nil, ErrNotOdoo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, c := newFakeOdoo(t, map[string][]route{
				"POST /xmlrpc/2/object": {xmlMethod("ping", 0, xmlAnswer(tt.body))},
			})
			got, err := c.xmlCall(context.Background(), "call", pathXMLRPCObject, "ping")
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("xmlCall error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("xmlCall (-want +got):\n%s", diff)
			}
			var de *DecodeError
			if err != nil && (!errors.As(err, &de) || string(de.Raw) != string(tt.body)) {
				t.Errorf("error %v does not keep the raw answer", err)
			}
		})
	}
}

// TestXMLRPCRefusesNil covers the encoding trap: a nil argument would be
// dropped and shift the others, so nothing is sent.
func TestXMLRPCRefusesNil(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []any
	}{
		{"top level", []any{"qa", nil, "pw"}},
		{"in a list", []any{[]any{[]any{"name", "=", nil}}}},
		{"in a dict", []any{map[string]any{"fields": nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, c := newFakeOdoo(t, nil)
			_, err := c.xmlCall(context.Background(), "call", pathXMLRPCObject, "execute_kw", tt.args...)
			if !errors.Is(err, ErrInvalidInput) {
				t.Errorf("xmlCall error = %v, want ErrInvalidInput", err)
			}
			if calls := f.callLog(); len(calls) > 0 {
				t.Errorf("requests sent: %v", calls)
			}
		})
	}
}
