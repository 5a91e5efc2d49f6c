package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/clientele/clientele/postgres"
	"github.com/clientele/clientele/sqlite"
	"github.com/clientele/clientele/transfer"
)

// copyToPostgres copies the SQLite installation in --data-dir into the empty
// PostgreSQL database --to names (see package transfer).
func copyToPostgres(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	// Not newFlags: its --database-url would read as the source, and
	// CLIENTELE_DATABASE_URL must not pick the target of a one-off copy.
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data-dir", envOr(getenv, "CLIENTELE_DATA_DIR", "./clientele-data"),
		"directory of the SQLite database to copy (env CLIENTELE_DATA_DIR)")
	to := fs.String("to", "", "postgres://… of the empty PostgreSQL database to copy into")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("copy: --to postgres://… is required")
	}
	if !postgres.IsURL(*to) {
		return fmt.Errorf("copy: --to must start with postgres://")
	}
	path := sqlite.Path(*dataDir)
	counts, err := transfer.Copy(ctx, path, *to)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	fmt.Fprintf(stdout, "Copied %s to PostgreSQL: %s.\nStart the server with --database-url to use it.\n", path, counts)
	// The rows carry only file keys; the bytes stay where they are.
	fmt.Fprintf(stdout, "Logos and images stay in %s: start it with the same --data-dir or --files-url.\n",
		filepath.Join(*dataDir, "files"))
	return nil
}
