package demoserver

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// xmlNode is a parsed XML element, enough for XML-RPC values.
type xmlNode struct {
	XMLName xml.Name
	Text    string    `xml:",chardata"`
	Nodes   []xmlNode `xml:",any"`
}

// decodeValue reads the rest of the <value> element that start opened and
// converts it: struct to map[string]any, array to []any.
func decodeValue(d *xml.Decoder, start *xml.StartElement) (any, error) {
	var n xmlNode
	if err := d.DecodeElement(&n, start); err != nil {
		return nil, fmt.Errorf("decode XML-RPC value: %w", err)
	}
	return nodeValue(n)
}

// nodeValue converts a <value> node.
func nodeValue(n xmlNode) (any, error) {
	if len(n.Nodes) == 0 {
		return n.Text, nil // a bare value is a string
	}
	t := n.Nodes[0]
	switch t.XMLName.Local {
	case "string":
		return t.Text, nil
	case "int", "i4", "i8":
		return strconv.Atoi(strings.TrimSpace(t.Text))
	case "boolean":
		return strings.TrimSpace(t.Text) == "1", nil
	case "double":
		return strconv.ParseFloat(strings.TrimSpace(t.Text), 64)
	case "nil":
		return nil, nil
	case "array":
		return arrayValue(t)
	case "struct":
		return structValue(t)
	}
	return t.Text, nil
}

// arrayValue converts <array><data><value>...</data></array>.
func arrayValue(n xmlNode) (any, error) {
	out := []any{}
	for _, data := range n.Nodes {
		for _, v := range data.Nodes {
			x, err := nodeValue(v)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
	}
	return out, nil
}

// structValue converts <struct><member><name/><value/></member></struct>.
func structValue(n xmlNode) (any, error) {
	out := map[string]any{}
	for _, m := range n.Nodes {
		var name string
		var val *xmlNode
		for i, part := range m.Nodes {
			switch part.XMLName.Local {
			case "name":
				name = part.Text
			case "value":
				val = &m.Nodes[i]
			}
		}
		if val == nil {
			return nil, errors.New("decode XML-RPC struct: member without value")
		}
		x, err := nodeValue(*val)
		if err != nil {
			return nil, err
		}
		out[name] = x
	}
	return out, nil
}
