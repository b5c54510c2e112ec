package demoserver

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
)

// compareBodies compares a replayed body with the recorded one by the
// recorded Content-Type: JSON and XML-RPC by shape, HTML by being HTML.
func compareBodies(contentType, want, got string) []string {
	switch {
	case strings.Contains(contentType, "json"):
		var w, g any
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			return []string{fmt.Sprintf("recorded JSON body: %v", err)}
		}
		if err := json.Unmarshal([]byte(got), &g); err != nil {
			return []string{fmt.Sprintf("body is not JSON: %v: %.200s", err, got)}
		}
		return shapeDiff("$", w, g)
	case strings.Contains(contentType, "xml"):
		w, err := xmlResponse(want)
		if err != nil {
			return []string{fmt.Sprintf("recorded XML body: %v", err)}
		}
		g, err := xmlResponse(got)
		if err != nil {
			return []string{fmt.Sprintf("body is not an XML-RPC answer: %v", err)}
		}
		return shapeDiff("$", w, g)
	case strings.Contains(contentType, "html"):
		if !isHTML(got) {
			return []string{fmt.Sprintf("body is not HTML: %.200s", got)}
		}
	}
	return nil
}

// isHTML reports whether a body is an HTML page.
func isHTML(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(l, "<!doctype html") || strings.Contains(l, "<html")
}

// xmlResponse converts a methodResponse to {"params": value} or
// {"fault": value}.
func xmlResponse(body string) (any, error) {
	var root xmlNode
	if err := xml.Unmarshal([]byte(body), &root); err != nil {
		return nil, err
	}
	if root.XMLName.Local != "methodResponse" || len(root.Nodes) != 1 {
		return nil, fmt.Errorf("not a methodResponse")
	}
	kind := root.Nodes[0]
	value := kind
	for value.XMLName.Local != "value" {
		if len(value.Nodes) != 1 {
			return nil, fmt.Errorf("%s without one value", kind.XMLName.Local)
		}
		value = value.Nodes[0]
	}
	v, err := nodeValue(value)
	if err != nil {
		return nil, err
	}
	return map[string]any{kind.XMLName.Local: v}, nil
}

// shapeDiff lists where got differs from want in keys, array lengths or
// JSON types; values themselves are not compared.
func shapeDiff(at string, want, got any) []string {
	if kind(want) != kind(got) {
		return []string{fmt.Sprintf("%s: %s, recorded %s", at, kind(got), kind(want))}
	}
	var out []string
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s: key %q missing", at, k))
				continue
			}
			out = append(out, shapeDiff(at+"."+k, wv, gv)...)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				out = append(out, fmt.Sprintf("%s: extra key %q", at, k))
			}
		}
	case []any:
		g := got.([]any)
		if len(g) != len(w) {
			return []string{fmt.Sprintf("%s: %d elements, recorded %d", at, len(g), len(w))}
		}
		for i := range w {
			out = append(out, shapeDiff(fmt.Sprintf("%s[%d]", at, i), w[i], g[i])...)
		}
	}
	return out
}

// kind names the JSON type of a decoded value.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "bool"
	case float64, int:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}
