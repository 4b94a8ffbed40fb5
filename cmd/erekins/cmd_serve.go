package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/jobs"
	"github.com/erekins/erekins/web"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("serve", e.stderr, &s)
	if err := parse(fs, args); err != nil {
		return err
	}
	if s.shutdownTimeout <= 0 {
		return billing.Errorf(billing.ErrInvalid, "shutdown-timeout", "must be a positive duration such as 30s")
	}
	if err := s.parseProxies(); err != nil {
		return err
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close() // last: after the requests and jobs have finished
	return s.serve(ctx, e, a, nil)
}

// serve serves on addr with the default operation settings; the demo uses it.
func serve(ctx context.Context, e *env, a *app.App, addr string, ready func(url string)) error {
	s := settings{addr: addr, shutdownTimeout: defaultShutdownTimeout}
	return s.serve(ctx, e, a, ready)
}

// serve runs the web server, the metrics server (when --metrics-addr is set) and the
// workers until ctx ends (SIGTERM or SIGINT), then shuts down gracefully: the listeners
// close at once, requests in flight get the shutdown timeout to finish, then jobs in flight
// get it too before they are cancelled. The caller closes the database after.
func (s *settings) serve(ctx context.Context, e *env, a *app.App, ready func(url string)) error {
	runner, err := jobs.New(a, e.log)
	if err != nil {
		return err
	}
	// Not ctx itself: its end must stop River gracefully (below), not cancel running jobs.
	if err := runner.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	stopRunner := func() error {
		stop, cancel := context.WithTimeout(context.Background(), s.shutdownTimeout)
		defer cancel()
		return runner.Stop(stop)
	}
	srv := &web.Server{App: a, Log: e.log, Ready: runner.Ready, TrustedProxies: s.proxies}
	errorLog := slog.NewLogLogger(e.log.Handler(), slog.LevelWarn) // net/http's own complaints, in the same format
	var metrics *http.Server
	if s.metricsAddr != "" {
		srv.Metrics = web.NewMetrics(a.DB, 5*time.Second, e.log)
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.Metrics.Handler())
		metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errorLog}
	}
	handler, err := srv.Handler()
	if err != nil {
		return errors.Join(err, stopRunner())
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return errors.Join(fmt.Errorf("listen on %s: %w", s.addr, err), stopRunner())
	}
	servers := []*http.Server{{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errorLog}}
	listeners := []net.Listener{ln}
	if metrics != nil {
		mln, err := net.Listen("tcp", s.metricsAddr)
		if err != nil {
			ln.Close()
			return errors.Join(fmt.Errorf("listen on --metrics-addr %s: %w", s.metricsAddr, err), stopRunner())
		}
		servers, listeners = append(servers, metrics), append(listeners, mln)
	}
	url := "http://" + ln.Addr().String()
	if ready != nil {
		ready(url)
	} else {
		if metrics != nil {
			fmt.Fprintf(e.stdout, "metrics on http://%s/metrics\n", listeners[1].Addr())
		}
		fmt.Fprintf(e.stdout, "erekins is serving on %s (database: %s)\n", url, redact(a.DB.URL))
	}
	errc := make(chan error, len(servers))
	for i, hs := range servers {
		go func() { errc <- hs.Serve(listeners[i]) }()
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	if ready != nil { // the demo talks to a person
		fmt.Fprintln(e.stderr, "erekins: shutting down, finishing requests and jobs in flight")
	}
	e.log.Info("shutting down: finishing requests, then jobs, in flight", "timeout", s.shutdownTimeout.String())
	shutdown, cancel := context.WithTimeout(context.Background(), s.shutdownTimeout)
	defer cancel()
	var serr error
	for _, hs := range servers {
		if err := hs.Shutdown(shutdown); err != nil {
			serr = errors.Join(serr, fmt.Errorf("requests still running after %s: %w", s.shutdownTimeout, err))
			hs.Close()
		}
	}
	rerr := stopRunner()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if err == nil && serr == nil && rerr == nil {
		e.log.Info("shut down")
	}
	return errors.Join(err, serr, rerr)
}

func cmdWork(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("work", e.stderr, &s)
	untilIdle := fs.Bool("until-idle", false, "exit once no job is due")
	if err := parse(fs, args); err != nil {
		return err
	}
	if s.shutdownTimeout <= 0 {
		return billing.Errorf(billing.ErrInvalid, "shutdown-timeout", "must be a positive duration such as 30s")
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	runner, err := jobs.New(a, e.log)
	if err != nil {
		return err
	}
	if *untilIdle {
		if err := runner.UntilIdle(ctx); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "no job is due; stopping")
		return nil
	}
	// Not ctx itself: Ctrl-C stops the workers gracefully below, not hard.
	if err := runner.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "erekins workers running; stop with Ctrl-C")
	<-ctx.Done()
	stop, cancel := context.WithTimeout(context.Background(), s.shutdownTimeout)
	defer cancel()
	return runner.Stop(stop)
}
