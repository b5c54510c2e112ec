package demoserver

import (
	"fmt"
	"slices"
)

// table is a read-only model made of rows computed on demand.
type table struct {
	model, label string
	// guard checks the user's right to read; nil lets everyone read.
	guard  func(e *env) *odooError
	fields []fieldDef
	rows   func(e *env) []record
}

// fieldDef describes one field for fields_get.
type fieldDef struct {
	name, label, kind string
}

// tableMethods returns read, search, search_read, search_count and
// fields_get on t, plus extra methods.
func tableMethods(t *table, extra map[string]method) map[string]method {
	m := map[string]method{
		"read":         t.read,
		"search":       t.search,
		"search_read":  t.searchRead,
		"search_count": t.searchCount,
		"fields_get":   t.fieldsGet,
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// selectRows returns the rows matching a domain, after the access check.
func (t *table) selectRows(e *env, domain any) ([]record, *odooError) {
	if t.guard != nil {
		if err := t.guard(e); err != nil {
			return nil, err
		}
	}
	terms, _ := domain.([]any)
	var out []record
	for _, r := range t.rows(e) {
		ok, err := matches(r, terms)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// project keeps id and the asked fields of each row, in the asked order.
func (t *table) project(rows []record, fields any) ([]any, *odooError) {
	names, _ := fields.([]any)
	out := make([]any, 0, len(rows))
	for _, r := range rows {
		if len(names) == 0 {
			out = append(out, r)
			continue
		}
		id, _ := r.get("id")
		p := record{{"id", id}}
		for _, n := range names {
			name, _ := n.(string)
			v, ok := r.get(name)
			if !ok {
				return nil, internalError("ValueError",
					fmt.Sprintf("Invalid field %q on model %q", name, t.model))
			}
			if name != "id" {
				p = append(p, field{name, v})
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// read is read(ids, fields).
func (t *table) read(e *env, args []any, kw map[string]any) (any, *odooError) {
	ids := idList(arg(args, 0))
	rows, err := t.selectRows(e, nil)
	if err != nil {
		return nil, err
	}
	var picked []record
	for _, id := range ids {
		for _, r := range rows {
			if v, _ := r.get("id"); v == id {
				picked = append(picked, r)
			}
		}
	}
	return t.project(picked, kwOrArg(kw, "fields", args, 1))
}

// searchRead is search_read(domain, fields, offset, limit).
func (t *table) searchRead(e *env, args []any, kw map[string]any) (any, *odooError) {
	rows, err := t.selectRows(e, kwOrArg(kw, "domain", args, 0))
	if err != nil {
		return nil, err
	}
	if n, ok := toInt(kwOrArg(kw, "limit", args, 3)); ok && n > 0 && n < len(rows) {
		rows = rows[:n]
	}
	return t.project(rows, kwOrArg(kw, "fields", args, 1))
}

// search is search(domain): the ids.
func (t *table) search(e *env, args []any, kw map[string]any) (any, *odooError) {
	rows, err := t.selectRows(e, kwOrArg(kw, "domain", args, 0))
	if err != nil {
		return nil, err
	}
	ids := make([]any, 0, len(rows))
	for _, r := range rows {
		id, _ := r.get("id")
		ids = append(ids, id)
	}
	return ids, nil
}

// searchCount is search_count(domain).
func (t *table) searchCount(e *env, args []any, kw map[string]any) (any, *odooError) {
	rows, err := t.selectRows(e, kwOrArg(kw, "domain", args, 0))
	return len(rows), err
}

// fieldsGet is fields_get(): string and type of each field.
func (t *table) fieldsGet(_ *env, _ []any, _ map[string]any) (any, *odooError) {
	out := record{}
	for _, f := range t.fields {
		out = append(out, field{f.name, record{{"string", f.label}, {"type", f.kind}}})
	}
	return out, nil
}

// kwOrArg returns kw[name], else args[i].
func kwOrArg(kw map[string]any, name string, args []any, i int) any {
	if v, ok := kw[name]; ok {
		return v
	}
	return arg(args, i)
}

// idList reads an id or a list of ids.
func idList(v any) []int {
	if id, ok := toInt(v); ok {
		return []int{id}
	}
	list, _ := v.([]any)
	var out []int
	for _, x := range list {
		if id, ok := toInt(x); ok {
			out = append(out, id)
		}
	}
	return out
}

// matches evaluates a domain made of [field, operator, value] terms joined
// by AND (the implicit "&" of Odoo domains).
func matches(r record, terms []any) (bool, *odooError) {
	for _, t := range terms {
		term, ok := t.([]any)
		if !ok {
			if t == "&" {
				continue
			}
			return false, internalError("ValueError", fmt.Sprintf("Unsupported domain term %v", t))
		}
		if len(term) != 3 {
			return false, internalError("ValueError", fmt.Sprintf("Invalid leaf %v", term))
		}
		name, _ := term[0].(string)
		op, _ := term[1].(string)
		v, _ := r.get(name)
		ok, err := compare(norm(v), op, term[2])
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// compare applies one domain operator.
func compare(v any, op string, want any) (bool, *odooError) {
	switch op {
	case "=", "==":
		return v == norm(want), nil
	case "!=", "<>":
		return v != norm(want), nil
	case "in", "not in":
		list, _ := want.([]any)
		in := slices.ContainsFunc(list, func(x any) bool { return norm(x) == v })
		return in == (op == "in"), nil
	}
	return false, internalError("ValueError", fmt.Sprintf("Invalid domain operator %q", op))
}

// norm makes values comparable: JSON numbers become int, a many2one its id.
func norm(v any) any {
	if n, ok := toInt(v); ok {
		return n
	}
	if l, ok := v.([]any); ok && len(l) == 2 {
		if n, ok := toInt(l[0]); ok {
			return n
		}
	}
	return v
}
