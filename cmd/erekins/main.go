// Command erekins is the whole product in one binary: the operator's command line, the
// server (portal, back office, API) and the background workers. See the README and
// shared/spec/cli.md for the commands; every setting is a flag and an environment variable.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/erekins/erekins/billing"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name, usage string
	run         func(ctx context.Context, env *env, args []string) error
}

func commands() []command {
	return []command{
		{"import", "import FILE.json — load a dataset (all or nothing)", cmdImport},
		{"reading", "reading add --metering-point CODE --register T1 --date YYYY-MM-DD --value N — record a reading", cmdReading},
		{"bill", "bill --date YYYY-MM-DD [--json] — issue every invoice due on that date", cmdBill},
		{"invoice", "invoice list|show|export — issued invoices and credit notes", cmdInvoice},
		{"migrate", "migrate — apply pending database migrations", cmdMigrate},
		{"serve", "serve [--addr A] [--smtp URL] [--metrics-addr A] [--log-format json] [--shutdown-timeout D] — the web server and the background workers", cmdServe},
		{"work", "work [--until-idle] [--smtp URL] [--mail-from ADDR] [--base-url URL] [--rescue-after D] — the background workers alone", cmdWork},
		{"demo", "demo — a fresh demo database, then serve on it", cmdDemo},
		{"delivery", "delivery list [--status failed]|show ID|NUMBER|resend NUMBER [--to ADDRESS] — e-mail deliveries", cmdDelivery},
		{"outbox", "outbox [show ID] — e-mail kept in the database when no SMTP server is set", cmdOutbox},
		{"contract", "contract delivery show|set NUMBER [--method M] [--recipients A,B] [--formats pdf,ubl,csv] — e-invoice sign-up", cmdContract},
		{"operator", "operator add EMAIL [--name NAME] [--password P] — a back-office operator", cmdOperator},
		{"user", "user add --email ADDR --name NAME --customer REG --role admin|billing|readings|viewer [--password P] — a portal user", cmdUser},
		{"print-batch", "print-batch list|show ID|bundle ID -o FILE.pdf|manifest ID -o FILE.csv|handed-over ID — the daily print batches of paper invoices", cmdPrintBatch},
	}
}

// env is what every command shares: its output streams and the parsed global settings.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

// usageError is a mistake in the command line itself; shown when it was printed already.
type usageError struct {
	msg   string
	shown bool
	help  bool // -h: the flags were asked for, not a mistake
}

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			var u usageError
			if err != nil && !(errors.As(err, &u) && u.shown) {
				fmt.Fprintf(stderr, "erekins %s: %v\n", c.name, err)
			}
			return exitCode(err)
		}
	}
	fmt.Fprintf(stderr, "erekins: unknown command %q\n", args[0])
	printUsage(stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: erekins COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %s\n", c.usage)
	}
	fmt.Fprintln(w, "\nEvery command takes --db (EREKINS_DB): a SQLite file (default erekins.db) or a postgres:// URL.")
	fmt.Fprintln(w, "Run 'erekins COMMAND -h' for a command's flags.")
}

// Exit codes: one per error kind, so scripts can tell bad input from a missing thing.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitInvalid  = 3
	exitNotFound = 4
	exitConflict = 5
)

func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var u usageError
	if errors.As(err, &u) {
		if u.help {
			return exitOK
		}
		return exitUsage
	}
	switch billing.ErrorCode(err) {
	case billing.ErrInvalid, billing.ErrNeedsConfirm:
		return exitInvalid
	case billing.ErrNotFound:
		return exitNotFound
	case billing.ErrConflict:
		return exitConflict
	}
	return exitFailure
}
