package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/argon2id"
	"github.com/clientele/clientele/postgres"
	"github.com/clientele/clientele/sqlite"
)

// storeFlags are the flags every command has: where the data is.
type storeFlags struct {
	dataDir          string
	databaseURL      string
	maxConns         int
	statementTimeout time.Duration
}

// newFlags returns a flag set whose store flags default to their environment variables.
func newFlags(name string, getenv func(string) string, sf *storeFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&sf.dataDir, "data-dir", envOr(getenv, "CLIENTELE_DATA_DIR", "./clientele-data"),
		"directory of the SQLite database and files (env CLIENTELE_DATA_DIR)")
	fs.StringVar(&sf.databaseURL, "database-url", getenv("CLIENTELE_DATABASE_URL"),
		"postgres://… to use PostgreSQL instead of SQLite (env CLIENTELE_DATABASE_URL)")
	fs.IntVar(&sf.maxConns, "db-max-conns", 0, "PostgreSQL: connections in the pool (0: the larger of 4 and the CPUs)")
	fs.DurationVar(&sf.statementTimeout, "db-statement-timeout", 30*time.Second, "PostgreSQL: longest a statement may run (0: no limit)")
	return fs
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// parse parses args and rejects stray positional arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%s: %w", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// openStore opens the configured database and applies pending migrations.
func (sf storeFlags) openStore(ctx context.Context) (clientele.Store, error) {
	if sf.databaseURL != "" {
		if !postgres.IsURL(sf.databaseURL) {
			return nil, fmt.Errorf("--database-url must start with postgres://")
		}
		if sf.maxConns < 0 || sf.maxConns > 10000 {
			return nil, fmt.Errorf("--db-max-conns must be between 0 and 10000")
		}
		return postgres.Open(ctx, sf.databaseURL, postgres.Options{MaxConns: int32(sf.maxConns),
			StatementTimeout: sf.statementTimeout})
	}
	if err := os.MkdirAll(sf.dataDir, 0o700); err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, sqlite.Path(sf.dataDir))
}

// newService returns the Service over store with the production password hasher.
func newService(store clientele.Store) *clientele.Service {
	return clientele.NewService(store, argon2id.New(argon2id.Default, runtime.NumCPU()))
}
