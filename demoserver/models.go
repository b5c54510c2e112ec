package demoserver

import "fmt"

// companyName is the name of the only company of every database.
const companyName = "My Company"

// usersTable is res.users.
var usersTable = &table{
	model: "res.users", label: "Users",
	fields: []fieldDef{
		{"id", "ID", "integer"}, {"login", "Login", "char"}, {"name", "Name", "char"},
		{"share", "Share User", "boolean"}, {"active", "Active", "boolean"},
		{"lang", "Language", "selection"}, {"tz", "Timezone", "selection"},
		{"company_id", "Company", "many2one"}, {"partner_id", "Related Partner", "many2one"},
	},
	rows: func(e *env) []record {
		out := make([]record, 0, len(e.d.users))
		for _, u := range e.d.users {
			out = append(out, record{
				{"id", u.ID}, {"login", u.Login}, {"name", u.displayName()},
				{"share", u.Portal}, {"active", true}, {"lang", "en_US"}, {"tz", false},
				{"company_id", m2o(1, companyName)},
				{"partner_id", m2o(u.PartnerID, u.displayName())},
			})
		}
		return out
	},
}

// writeUsers is res.users write(ids, values). Only an admin may write, and
// only name and password are kept; a new password ends the user's sessions.
func writeUsers(e *env, args []any, _ map[string]any) (any, *odooError) {
	ids := idList(arg(args, 0))
	vals, _ := arg(args, 1).(map[string]any)
	if !e.u.Admin {
		return nil, rightsError("modify", "Users", "res.users", "Administration/Access Rights")
	}
	for _, id := range ids {
		u := e.d.userByID(id)
		if u == nil {
			return nil, &odooError{kind: "MissingError",
				msg: fmt.Sprintf("Record does not exist or has been deleted.\n(Record: res.users(%d,))", id)}
		}
		if name, ok := vals["name"].(string); ok {
			u.Name = name
		}
		if pw, ok := vals["password"].(string); ok && pw != "" {
			u.Password = pw
			e.s.dropUserSessions(e.d.name, u.ID)
		}
	}
	return true, nil
}

// settingsGuard lets only Settings users (is_system) read a model.
func settingsGuard(label, model string) func(e *env) *odooError {
	return func(e *env) *odooError {
		if !e.u.System {
			return rightsError("access", label, model, "Administration/Settings")
		}
		return nil
	}
}

// modulesTable is ir.module.module.
var modulesTable = &table{
	model: "ir.module.module", label: "Module",
	guard: settingsGuard("Module", "ir.module.module"),
	fields: []fieldDef{
		{"id", "ID", "integer"}, {"name", "Technical Name", "char"}, {"state", "Status", "selection"},
		{"latest_version", "Latest Version", "char"}, {"installed_version", "Latest Version", "char"},
	},
	rows: func(e *env) []record {
		var out []record
		for _, m := range e.s.p.modules() {
			var version any = false
			if m.version != "" {
				version = m.version
			}
			out = append(out, record{{"id", m.id}, {"name", m.name}, {"state", m.state},
				{"latest_version", version}, {"installed_version", version}})
		}
		return out
	},
}

// paramsTable is ir.config_parameter.
var paramsTable = &table{
	model: "ir.config_parameter", label: "System Parameter",
	guard: settingsGuard("System Parameter", "ir.config_parameter"),
	fields: []fieldDef{
		{"id", "ID", "integer"}, {"key", "Key", "char"}, {"value", "Value", "text"},
	},
	rows: func(e *env) []record {
		return []record{
			{{"id", 1}, {"key", "database.uuid"}, {"value", "00000000-0000-0000-0000-" + e.d.name}},
			{{"id", 2}, {"key", "sessions.max_inactivity_seconds"}, {"value", "604800"}},
		}
	},
}
