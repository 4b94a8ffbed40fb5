package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/jobs"
	"github.com/erekins/erekins/web"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("serve", e.stderr, &s)
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	return serve(ctx, e, a, s.addr, nil)
}

// serve runs the web server and the workers until ctx ends, then shuts both down
// gracefully: requests and jobs in flight finish first.
func serve(ctx context.Context, e *env, a *app.App, addr string, ready func(url string)) error {
	runner, err := jobs.New(a, e.log)
	if err != nil {
		return err
	}
	if err := runner.Start(ctx); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	handler, err := (&web.Server{App: a, Log: e.log}).Handler()
	if err != nil {
		runner.Stop(context.Background())
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		runner.Stop(context.Background())
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
	}
	url := "http://" + ln.Addr().String()
	if ready != nil {
		ready(url)
	} else {
		fmt.Fprintf(e.stdout, "erekins is serving on %s (database: %s)\n", url, redact(a.DB.URL))
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fmt.Fprintln(e.stderr, "erekins: shutting down, finishing requests and jobs in flight")
	serr := srv.Shutdown(shutdown)
	rerr := runner.Stop(shutdown)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
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
	if err := runner.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "erekins workers running; stop with Ctrl-C")
	<-ctx.Done()
	stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return runner.Stop(stop)
}
