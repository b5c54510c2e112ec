package demoserver

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// xmlType is the Content-Type of XML-RPC answers.
const xmlType = "text/xml; charset=utf-8"

// xmlrpc answers POST /xmlrpc/2/<service>. Faults come with HTTP 200.
func (s *Server) xmlrpc(c *call, service string) {
	if c.r.Method != http.MethodPost {
		c.htmlError(http.StatusMethodNotAllowed, methodText)
		return
	}
	name, params, err := decodeCall(c.body)
	if err != nil {
		s.writeXML(c, nil, internalError("ExpatError", err.Error()))
		return
	}
	res, oe := s.dispatchRPC(service, name, params)
	s.writeXML(c, res, oe)
}

// writeXML sends a methodResponse with the result or a fault.
func (s *Server) writeXML(c *call, res any, oe *odooError) {
	var b strings.Builder
	b.WriteString("<?xml version='1.0'?>\n<methodResponse>\n")
	if oe != nil {
		b.WriteString("<fault>\n")
		encodeValue(&b, record{{"faultCode", oe.faultCode()}, {"faultString", oe.faultString()}})
		b.WriteString("</fault>\n")
	} else {
		b.WriteString("<params>\n<param>\n")
		encodeValue(&b, res)
		b.WriteString("</param>\n</params>\n")
	}
	b.WriteString("</methodResponse>\n")
	// Odoo 18 leaves the header out of faults.
	if oe == nil || c.p.major == 17 {
		c.setNosniff()
	}
	c.write(http.StatusOK, xmlType, []byte(b.String()))
}

// encodeValue writes one <value> as Python's xmlrpc.client does.
func encodeValue(b *strings.Builder, v any) {
	b.WriteString("<value>")
	switch x := v.(type) {
	case nil:
		b.WriteString("<nil/>")
	case bool:
		fmt.Fprintf(b, "<boolean>%d</boolean>", map[bool]int{false: 0, true: 1}[x])
	case int:
		fmt.Fprintf(b, "<int>%d</int>", x)
	case float64:
		fmt.Fprintf(b, "<double>%s</double>", strconv.FormatFloat(x, 'f', -1, 64))
	case string:
		b.WriteString("<string>")
		_ = xml.EscapeText(b, []byte(x))
		b.WriteString("</string>")
	case []any:
		b.WriteString("<array><data>\n")
		for _, e := range x {
			encodeValue(b, e)
		}
		b.WriteString("</data></array>")
	case record:
		b.WriteString("<struct>\n")
		for _, f := range x {
			fmt.Fprintf(b, "<member>\n<name>%s</name>\n", f.name)
			encodeValue(b, f.value)
			b.WriteString("</member>\n")
		}
		b.WriteString("</struct>")
	default:
		fmt.Fprintf(b, "<string>%v</string>", x)
	}
	b.WriteString("</value>\n")
}

// decodeCall reads a methodCall: its method name and parameters.
func decodeCall(body []byte) (string, []any, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var name string
	var params []any
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, fmt.Errorf("decode XML-RPC call: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "methodName":
			if err := d.DecodeElement(&name, &se); err != nil {
				return "", nil, fmt.Errorf("decode XML-RPC method name: %w", err)
			}
		case "value":
			v, err := decodeValue(d, &se)
			if err != nil {
				return "", nil, err
			}
			params = append(params, v)
		}
	}
	if name == "" {
		return "", nil, errors.New("decode XML-RPC call: no method name")
	}
	return name, params, nil
}
