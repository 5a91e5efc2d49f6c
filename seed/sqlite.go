package seed

import (
	"context"
	"strings"
	"sync"

	msqlite "modernc.org/sqlite"
)

var tuneOnce sync.Once

// TuneSQLite makes every SQLite write connection that this process opens
// from now on keep its temporary files (the statement journal above all) in
// memory and use a 16 MiB page cache. A bulk load into a big transaction
// otherwise spends most of its time writing the statement journal to a
// temporary file, one page per touched index page and statement. The cache
// is small on purpose: the load's gigabyte does not fit in any cache that a
// seed should take, and SQLite sizes the runs of its sorter (the 29 CREATE
// INDEX of sqlite.DB.Bulk) by it: with 256 MiB, the seed of a million
// contacts took 3.5 s longer and 560 MB more memory. Neither setting changes
// durability: commits are still synchronous=FULL in WAL. It only affects
// this process (the server's own connections are unchanged), and is meant
// for the seed command.
func TuneSQLite() {
	tuneOnce.Do(func() {
		msqlite.RegisterConnectionHook(func(conn msqlite.ExecQuerierContext, dsn string) error {
			if !strings.Contains(dsn, "_txlock=immediate") { // the write pool only
				return nil
			}
			for _, p := range []string{"PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -16384"} {
				if _, err := conn.ExecContext(context.Background(), p, nil); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
