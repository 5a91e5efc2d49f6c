// Command clientele runs the Clientele server and its operator commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "clientele:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  clientele serve [--addr ADDR] [--data-dir DIR] [--database-url URL] [--log-level LEVEL] [--log-format text|json]
                  [--shutdown-timeout D] [--db-max-conns N] [--db-statement-timeout D]
  clientele migrate [--data-dir DIR] [--database-url URL]
  clientele company create --name NAME --slug SLUG --admin-email E --admin-name N [--json]
  clientele token create --company SLUG --user EMAIL [--name N] [--json]
  clientele copy --to postgres://… [--data-dir DIR]
  clientele seed --company SLUG [--clients N] [--contacts N] [--locations N] [--seed N] [--batch N] [--users N] [--quiet]

Every command but copy takes --data-dir, --database-url, --db-max-conns and
--db-statement-timeout (copy: --data-dir and --to); --addr, --data-dir,
--database-url and --log-level can also be set by environment variables
(CLIENTELE_ADDR, CLIENTELE_DATA_DIR, CLIENTELE_DATABASE_URL, CLIENTELE_LOG_LEVEL).`

// run is the whole program; main only supplies the process's signals,
// environment and output streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("no command given")
	}
	cmd, rest := args[0], args[1:]
	if (cmd == "company" || cmd == "token") && len(rest) > 0 && rest[0] == "create" {
		cmd, rest = cmd+" create", rest[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, getenv, stdout)
	case "company create":
		return createCompany(ctx, rest, getenv, stdout)
	case "token create":
		return createToken(ctx, rest, getenv, stdout)
	case "copy":
		return copyToPostgres(ctx, rest, getenv, stdout)
	case "seed":
		return seedCompany(ctx, rest, getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
