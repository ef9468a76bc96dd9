package main

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"path/filepath"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/offices"
	"github.com/vincula/vincula/profiles"
	"github.com/vincula/vincula/programme"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/web"
)

// withConsole serves the web console under /console/ and the migrants' pages under /m/
// next to the API, on the same use cases (the API's referral and import services, so
// one import queue runs).
func withConsole(st *store.Store, srv *api.Server, rules *matching.Rules, cfg config, m *Main) (http.Handler, error) {
	acc := accounts.New(st, m.now, accounts.Config{})
	console, err := web.New(web.Config{
		Accounts:       acc,
		Placement:      srv.Placement(),
		Fairs:          srv.Fairs(),
		Profiles:       profiles.New(st, rules, m.now, mexicoCity()),
		Offices:        offices.New(st, acc),
		Migrants:       srv.Migrants(),
		Alerts:         srv.Alerts(),
		Matches:        srv.Matches(),
		Programme:      programme.New(st, rules, m.now, mexicoCity()),
		Now:            m.now,
		UploadDir:      filepath.Join(cfg.DataDir, "imports"),
		SecureCookies:  cfg.SecureCookies,
		MaxUploadBytes: cfg.MaxUploadBytes,
		Log:            m.log,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	// The console's requests get the API's request IDs, access lines and metrics,
	// under one route label.
	pages := srv.Wrap(web.Prefix+"/", console.Handler())
	mux.Handle(web.Prefix+"/", pages)
	mux.Handle(web.Prefix, pages)
	mine := srv.Wrap(web.MigrantPrefix+"/", console.Handler())
	mux.Handle(web.MigrantPrefix+"/", mine)
	mux.Handle(web.MigrantPrefix, mine)
	mux.Handle("GET /{$}", http.RedirectHandler(web.Prefix+"/", http.StatusSeeOther))
	mux.Handle("/", srv.Handler())
	return mux, nil
}

// cliAdmin is who invites from the command line: whoever may run the binary against
// the database is trusted as an admin.
var cliAdmin = models.User{ID: "cli", Name: "command line", Role: models.RoleAdmin}

func (m *Main) userCmd(cfg config, args []string) error {
	if len(args) == 0 || args[0] != "invite" {
		fmt.Fprint(m.stderr, "usage: vincula user invite --email ADDR (--name NAME --role ROLE [--employer ID] | --user ID)\n")
		return exitError(2)
	}
	fs := flag.NewFlagSet("user invite", flag.ContinueOnError)
	fs.SetOutput(m.stderr)
	email := fs.String("email", "", "the address the person signs in with")
	name := fs.String("name", "", "the person's name (a new user)")
	role := fs.String("role", "", "admin, hub_staff, organiser or employer (a new user)")
	employer := fs.String("employer", "", "the employer's id (an employer's user)")
	userID := fs.String("user", "", "an existing user's id (a counsellor created with their office, for example)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError(2)
	}
	st, err := openStore(m, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := accounts.New(st, m.now, accounts.Config{})
	inv, err := svc.Invite(m.ctx, cliAdmin, models.User{ID: *userID, Name: *name, Email: *email, Role: models.Role(*role), EmployerID: *employer})
	if err != nil {
		var e *models.Error
		if errors.As(err, &e) {
			for _, f := range e.Fields {
				fmt.Fprintf(m.stderr, "vincula: --%s %s\n", f.Field, f.Message)
			}
			if len(e.Fields) > 0 {
				return exitError(1)
			}
		}
		return err
	}
	fmt.Fprintf(m.stdout, "invitation for %s (user %s), valid until %s:\n%s%s/invitation/%s\n", *email, inv.UserID,
		inv.ExpiresAt.In(mexicoCity()).Format("2006-01-02 15:04 MST"), cfg.PublicURL, web.Prefix, inv.Token)
	return nil
}
