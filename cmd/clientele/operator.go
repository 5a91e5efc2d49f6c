package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
)

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var sf storeFlags
	if err := parse(newFlags("migrate", getenv, &sf), args); err != nil {
		return err
	}
	store, err := sf.openStore(ctx) // opening applies the migrations
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrations applied")
	return store.Close()
}

func createCompany(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var sf storeFlags
	var nc clientele.NewCompany
	fs := newFlags("company create", getenv, &sf)
	fs.StringVar(&nc.Name, "name", "", "company name")
	fs.StringVar(&nc.Slug, "slug", "", "company slug (lower case, digits, hyphens)")
	fs.StringVar(&nc.AdminEmail, "admin-email", "", "first admin's e-mail")
	fs.StringVar(&nc.AdminName, "admin-name", "", "first admin's full name")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parse(fs, args); err != nil {
		return err
	}
	store, err := sf.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	p, err := newService(store).CreateCompany(ctx, nc)
	if err != nil {
		return describe(err)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(api.NewProvisioned(p))
	}
	fmt.Fprintf(stdout, "Created company %q (id %d) with admin %s (id %d).\nAPI token (shown once): %s\n",
		p.Company.Slug, p.Company.ID, p.Admin.Email, p.Admin.ID, p.Secret)
	return nil
}

func createToken(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var sf storeFlags
	fs := newFlags("token create", getenv, &sf)
	slug := fs.String("company", "", "company slug")
	email := fs.String("user", "", "the user's e-mail")
	name := fs.String("name", "", "a name for the token")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parse(fs, args); err != nil {
		return err
	}
	store, err := sf.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	t, secret, err := newService(store).CreateTokenFor(ctx, *slug, *email, *name)
	if err != nil {
		return describe(err)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]string{"id": fmt.Sprint(t.ID), "token": secret})
	}
	fmt.Fprintf(stdout, "Token %d (shown once): %s\n", t.ID, secret)
	return nil
}

// describe turns a domain error into a message for a person at a terminal.
func describe(err error) error {
	var e *clientele.Error
	if !errors.As(err, &e) {
		return err
	}
	msg := ""
	for _, p := range e.Problems {
		msg += "\n  " + p.Detail
	}
	return fmt.Errorf("%s:%s", e.Kind, msg)
}
