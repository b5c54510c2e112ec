package demoserver

import "time"

// DemoDatabase is the database of the demo configuration.
const DemoDatabase = "demo"

// DemoTOTPSecret is the fixed base32 two-factor secret of the demo user
// "totp" (Odoo 16 and later). Add it to an authenticator app, or compute the
// current code with TOTPCode(DemoTOTPSecret, time.Now()).
const DemoTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// DemoUser is one account of the demo configuration, for listing in help
// texts and on the login screen.
type DemoUser struct {
	Login    string
	Password string
	// Note says what the account is for, in a few words.
	Note string
}

// DemoUsers lists the accounts of Demo(version): admin and demo, plus the
// two-factor user totp on Odoo 16 and later.
func DemoUsers(version int) []DemoUser {
	users := []DemoUser{
		{Login: "admin", Password: "admin", Note: "administrator"},
		{Login: "demo", Password: "demo", Note: "internal user"},
	}
	if version >= 16 {
		users = append(users, DemoUser{Login: "totp", Password: "totp",
			Note: "two-factor user, secret " + DemoTOTPSecret})
	}
	return users
}

// Demo returns the options of the built-in demo server: Odoo version
// (15 when zero) with the single database "demo" and the DemoUsers.
func Demo(version int, clock func() time.Time) Options {
	if version == 0 {
		version = 15
	}
	users := []User{
		{ID: 2, Login: "admin", Password: "admin", Name: "Mitchell Admin", PartnerID: 3,
			Admin: true, System: true},
		{ID: 6, Login: "demo", Password: "demo", Name: "Marc Demo", PartnerID: 7},
	}
	if version >= 16 {
		users = append(users, User{ID: 7, Login: "totp", Password: "totp", Name: "Tina Totp",
			PartnerID: 8, TOTPSecret: DemoTOTPSecret})
	}
	return Options{
		Version:   version,
		Databases: []Database{{Name: DemoDatabase, Users: users}},
		ListDB:    true,
		Clock:     clock,
	}
}
