package demoserver

import (
	"bytes"
	"encoding/json"
)

// field is one key of a record.
type field struct {
	name  string
	value any
}

// record is a JSON object or XML-RPC struct that keeps its keys in the order
// Odoo sends them.
type record []field

// MarshalJSON writes the record as a JSON object in key order, with Python's
// separators as Odoo's json.dumps does.
func (r record) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r {
		if i > 0 {
			b.WriteString(", ")
		}
		k, err := json.Marshal(f.name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteString(": ")
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// get returns the value of a key and whether it is present.
func (r record) get(name string) (any, bool) {
	for _, f := range r {
		if f.name == name {
			return f.value, true
		}
	}
	return nil, false
}

// m2o is a many2one value as Odoo reads it: [id, "display name"].
func m2o(id int, name string) []any {
	return []any{id, name}
}
