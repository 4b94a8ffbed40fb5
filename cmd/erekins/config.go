package main

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/web"
	"github.com/erekins/erekins/web/portal"
	"github.com/erekins/erekins/web/site"
)

// settings are the flags every command shares; each has an environment variable.
type settings struct {
	db            string
	json          bool
	addr          string
	baseURL       string
	smtp          string
	mailFrom      string
	retryWindow   time.Duration
	rescueAfter   time.Duration
	extraHolidays string
	extraWorking  string
	windowOpen    int
	windowClose   int
	extension     int
	maxTerm       int
	secretKey     string // base64; never printed

	command         string // the command whose flags these are
	logFormat       string
	logLevel        string
	metricsAddr     string
	shutdownTimeout time.Duration
	trustedProxies  string       // serve: --trusted-proxies as given
	proxies         site.Proxies // … and as parsed (proxies)
}

// newFlags returns a command's flag set with the shared settings registered.
func newFlags(name string, stderr io.Writer, s *settings) *flag.FlagSet {
	fs := flag.NewFlagSet("erekins "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // a mistake prints the mistake; -h prints the flags (parse)
	r := billing.DefaultRules()
	fs.StringVar(&s.db, "db", envOr("EREKINS_DB", "erekins.db"), "SQLite file path or postgres:// URL (EREKINS_DB)")
	fs.BoolVar(&s.json, "json", false, "print JSON for machines on standard output")
	fs.StringVar(&s.addr, "addr", envOr("EREKINS_ADDR", "127.0.0.1:8080"), "where serve listens (EREKINS_ADDR)")
	fs.StringVar(&s.baseURL, "base-url", os.Getenv("EREKINS_BASE_URL"), "the public URL, for links in e-mails (EREKINS_BASE_URL; default http:// + addr)")
	fs.StringVar(&s.smtp, "smtp", os.Getenv("EREKINS_SMTP"), "smtp://[user:password@]host:port or smtps://…; empty: the built-in outbox (EREKINS_SMTP)")
	fs.StringVar(&s.mailFrom, "mail-from", os.Getenv("EREKINS_MAIL_FROM"), "the sender address (EREKINS_MAIL_FROM; default the supplier's e-mail)")
	fs.DurationVar(&s.retryWindow, "delivery-retry-window", envDuration("EREKINS_DELIVERY_RETRY_WINDOW", delivery.DefaultPolicy().Window),
		"how long temporary e-mail failures are retried (EREKINS_DELIVERY_RETRY_WINDOW)")
	fs.DurationVar(&s.rescueAfter, "rescue-after", envDuration("EREKINS_RESCUE_AFTER", 0),
		"how long a job may run before it is taken for a crashed worker's and run again; 0: River's default, 1h (EREKINS_RESCUE_AFTER)")
	fs.StringVar(&s.extraHolidays, "extra-holidays", os.Getenv("EREKINS_EXTRA_HOLIDAYS"), "extra non-working days, comma-separated YYYY-MM-DD (EREKINS_EXTRA_HOLIDAYS)")
	fs.StringVar(&s.extraWorking, "extra-working-days", os.Getenv("EREKINS_EXTRA_WORKING_DAYS"), "extra working days such as working Saturdays (EREKINS_EXTRA_WORKING_DAYS)")
	fs.IntVar(&s.windowOpen, "window-open-day", envInt("EREKINS_WINDOW_OPEN_DAY", r.WindowOpenDay), "day of the month the readings window opens (EREKINS_WINDOW_OPEN_DAY)")
	fs.IntVar(&s.windowClose, "window-close-day", envInt("EREKINS_WINDOW_CLOSE_DAY", r.WindowCloseDay), "day of the next month the window closes (EREKINS_WINDOW_CLOSE_DAY)")
	fs.IntVar(&s.extension, "einvoice-extension", envInt("EREKINS_EINVOICE_EXTENSION", r.EInvoiceExtension), "payment term days added for e-invoice contracts (EREKINS_EINVOICE_EXTENSION)")
	fs.IntVar(&s.maxTerm, "max-payment-term", envInt("EREKINS_MAX_PAYMENT_TERM", r.MaxPaymentTerm), "the extension never takes the term past this (EREKINS_MAX_PAYMENT_TERM)")
	s.command = name
	s.operationFlags(fs)
	return fs
}

// operationFlags registers the settings of logging, metrics and shutdown, each only where
// it applies (the demo keeps its quiet defaults).
func (s *settings) operationFlags(fs *flag.FlagSet) {
	if s.command != "demo" {
		fs.StringVar(&s.logFormat, "log-format", envOr("EREKINS_LOG_FORMAT", "text"), "log lines as text or json, on standard error (EREKINS_LOG_FORMAT)")
		fs.StringVar(&s.logLevel, "log-level", os.Getenv("EREKINS_LOG_LEVEL"),
			"debug, info, warn or error (EREKINS_LOG_LEVEL; default info for serve and work, warn for the other commands)")
	}
	if s.command == "serve" {
		fs.StringVar(&s.metricsAddr, "metrics-addr", os.Getenv("EREKINS_METRICS_ADDR"),
			"where serve offers Prometheus /metrics, apart from the public address, e.g. 127.0.0.1:9464; empty: no metrics (EREKINS_METRICS_ADDR)")
	}
	if s.command == "serve" {
		fs.StringVar(&s.secretKey, "secret-key", os.Getenv("EREKINS_SECRET_KEY"),
			"32 random bytes in base64 (openssl rand -base64 32) that seal the portal's TOTP keys in the database; empty: kept in clear, with a warning (EREKINS_SECRET_KEY)")
		fs.Lookup("secret-key").DefValue = "" // -h must not print the key from the environment
		fs.StringVar(&s.trustedProxies, "trusted-proxies", os.Getenv("EREKINS_TRUSTED_PROXIES"),
			"the load balancers' IP addresses or CIDR ranges, comma-separated (e.g. 10.0.0.0/8,127.0.0.1), whose X-Forwarded-For names the client; empty: the header is ignored (EREKINS_TRUSTED_PROXIES)")
	}
	if s.command == "serve" || s.command == "work" {
		fs.DurationVar(&s.shutdownTimeout, "shutdown-timeout", envDuration("EREKINS_SHUTDOWN_TIMEOUT", defaultShutdownTimeout),
			"on SIGTERM, how long requests and then jobs in flight may take to finish before they are cut off (EREKINS_SHUTDOWN_TIMEOUT)")
	}
}

// defaultShutdownTimeout is how long each stage of a shutdown waits by default.
const defaultShutdownTimeout = 30 * time.Second

// logger is the logger the settings ask for, on w; log lines written with a request's
// context carry its id.
func (s *settings) logger(w io.Writer) (*slog.Logger, error) {
	level := slog.LevelWarn
	if s.command == "serve" || s.command == "work" {
		level = slog.LevelInfo
	}
	if s.logLevel != "" {
		if err := level.UnmarshalText([]byte(s.logLevel)); err != nil {
			return nil, billing.Errorf(billing.ErrInvalid, "log-level", "%q is not one of debug, info, warn, error", s.logLevel)
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch s.logFormat {
	case "", "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, billing.Errorf(billing.ErrInvalid, "log-format", "%q is neither text nor json", s.logFormat)
	}
	return slog.New(web.LogHandler(h)), nil
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func envInt(key string, def int) int {
	var n int
	if v := os.Getenv(key); v != "" {
		if _, err := fmt.Sscan(v, &n); err == nil {
			return n
		}
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return def
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprintf(fs.Output(), "usage of %s:\n", fs.Name())
			fs.PrintDefaults()
			return usageError{msg: err.Error(), shown: true, help: true}
		}
		return usageError{msg: err.Error(), shown: true} // the flag package has printed it
	}
	return nil
}

func dates(field, s string) ([]calendar.Date, error) {
	var out []calendar.Date
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		d, err := calendar.ParseDate(p)
		if err != nil {
			return nil, billing.Errorf(billing.ErrInvalid, field, "%v", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// open builds the App from the settings, migrating the database first; from here on the
// command logs as the settings ask.
func (s *settings) open(ctx context.Context, e *env) (*app.App, error) {
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	if e.log, err = s.logger(e.stderr); err != nil {
		return nil, err
	}
	if s.command == "serve" && len(cfg.SecretKey) == 0 {
		e.log.Warn("no --secret-key (EREKINS_SECRET_KEY) is set: the portal stores TOTP keys in clear; see docs/operations.md")
	}
	return app.Open(ctx, s.db, cfg, e.log)
}

// config is the App configuration of the settings.
func (s *settings) config() (app.Config, error) {
	r := billing.DefaultRules()
	r.WindowOpenDay, r.WindowCloseDay, r.EInvoiceExtension, r.MaxPaymentTerm = s.windowOpen, s.windowClose, s.extension, s.maxTerm
	cfg := app.Config{Rules: r}
	var err error
	if cfg.ExtraHolidays, err = dates("extra-holidays", s.extraHolidays); err != nil {
		return cfg, err
	}
	if cfg.ExtraWorkingDays, err = dates("extra-working-days", s.extraWorking); err != nil {
		return cfg, err
	}
	if cfg.SecretKey, err = secretKey(s.secretKey); err != nil {
		return cfg, err
	}
	cfg.Mail = app.MailConfig{SMTP: s.smtp, From: s.mailFrom, BaseURL: s.baseURL, Retry: delivery.DefaultPolicy()}
	if cfg.Mail.BaseURL == "" {
		cfg.Mail.BaseURL = "http://" + s.addr
	}
	if s.retryWindow <= 0 {
		return cfg, billing.Errorf(billing.ErrInvalid, "delivery-retry-window", "must be a positive duration such as 72h")
	}
	cfg.Mail.Retry.Window = s.retryWindow
	if s.rescueAfter < 0 {
		return cfg, billing.Errorf(billing.ErrInvalid, "rescue-after", "must not be negative")
	}
	cfg.Mail.RescueAfter = s.rescueAfter
	if s.mailFrom != "" {
		if _, err := delivery.ParseAddress(s.mailFrom); err != nil {
			return cfg, billing.Errorf(billing.ErrInvalid, "mail-from", "%q is not an e-mail address", s.mailFrom)
		}
	}
	return cfg, nil
}

// parseProxies reads --trusted-proxies into s.proxies.
func (s *settings) parseProxies() error {
	ps, err := site.ParseProxies(s.trustedProxies)
	if err != nil {
		return billing.Errorf(billing.ErrInvalid, "trusted-proxies", "%v", err)
	}
	s.proxies = ps
	return nil
}

// secretKey decodes --secret-key: empty, or 32 bytes in base64. Its errors never repeat it.
func secretKey(s string) ([]byte, error) {
	if s = strings.TrimSpace(s); s == "" {
		return nil, nil
	}
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(k) != portal.SecretKeySize {
		return nil, billing.Errorf(billing.ErrInvalid, "secret-key", "must be %d random bytes in base64, such as `openssl rand -base64 32` prints", portal.SecretKeySize)
	}
	return k, nil
}
