// Command load drives the portal and the API of running erekins servers with many
// signed-in clients and reports, per request type, how many requests were served, how many
// failed, the rate and the latency percentiles (docs/performance.md, "Portal and mixed
// load"; bench/load.sh runs the whole measurement).
//
//	go run ./bench/load -url http://127.0.0.1:8080 -users /tmp/load-users.json -scenario pdf -c 50 -d 30s
//
// The users file comes from bench/seed: portal users with a known password, their invoice
// numbers and the readings they may submit. Client i is user i modulo the users; every
// client signs in once through the sign-in form before the measurement starts, then sends
// its next request as soon as the last one is answered (a closed loop):
//
//   - archive: a page of the invoice archive (GET /invoices?page=N)
//   - pdf: the PDF of one of the customer's invoices (GET /invoices/{number}/pdf)
//   - mixed: a weighted mix (-mix) of sign-ins (form, sign-in, overview, sign-out of the
//     old session), archive pages, PDF downloads, readings submitted through the register
//     page's form, and REST API calls (GET /api/v1/invoices?limit=50 and a listed
//     invoice's PDF) with the bearer token of the user from the users file or -token.
//
// Several -url values (comma-separated) are used round-robin, request by request: the
// sessions live in the database, so every instance serves every client. Latency is from
// sending the request to reading the last byte of the answer; percentiles come from every
// latency sorted, nothing is sampled. A request counts as an error when it fails or its
// status is not the expected one (200; 303 for sign-in, sign-out and a saved reading).
package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	urls                []string
	concurrency         int
	duration, warmup    time.Duration
	think               time.Duration // a client's pause between operations, on average
	scenario, usersFile string
	mix                 mix
	token, jsonOut      string
	timeout             time.Duration
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func parseFlags() (config, error) {
	var c config
	urls := flag.String("url", "http://127.0.0.1:8080", "base URLs of the servers, comma-separated (round-robin)")
	flag.IntVar(&c.concurrency, "c", 50, "concurrent clients")
	flag.DurationVar(&c.duration, "d", 30*time.Second, "how long to measure")
	flag.DurationVar(&c.warmup, "warmup", 0, "how long to run before measuring (not counted)")
	flag.DurationVar(&c.think, "think", 0, "each client's pause between operations, on average (uniform from half to one and a half times it); 0: none, the clients saturate the servers")
	flag.StringVar(&c.scenario, "scenario", "archive", "archive, pdf or mixed")
	flag.StringVar(&c.usersFile, "users", "load-users.json", "the users file bench/seed wrote")
	mixFlag := flag.String("mix", defaultMix, "weights of the mixed scenario's operations")
	flag.StringVar(&c.token, "token", os.Getenv("EREKINS_LOAD_TOKEN"), "API bearer token for every client (EREKINS_LOAD_TOKEN); default: each user's from the users file")
	flag.StringVar(&c.jsonOut, "json", "", "also write the results as JSON to this file (- for standard output)")
	flag.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one request")
	flag.Parse()
	for u := range strings.SplitSeq(*urls, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			c.urls = append(c.urls, u)
		}
	}
	switch {
	case len(c.urls) == 0:
		return c, errors.New("-url: give at least one base URL")
	case c.concurrency < 1:
		return c, fmt.Errorf("-c %d: must be at least 1", c.concurrency)
	case c.duration <= 0:
		return c, fmt.Errorf("-d %s: must be positive", c.duration)
	}
	var err error
	switch c.scenario {
	case "archive", "pdf":
		c.mix, err = parseMix(c.scenario + "=1")
	case "mixed":
		c.mix, err = parseMix(*mixFlag)
	default:
		err = fmt.Errorf("-scenario %q: must be archive, pdf or mixed", c.scenario)
	}
	return c, err
}

// usersFile is bench/seed's output.
type usersFile struct {
	Password string  `json:"password"`
	Window   string  `json:"window"`
	Users    []*user `json:"users"`
}

type user struct {
	Email     string     `json:"email"`
	Customer  string     `json:"customer"`
	Invoices  []string   `json:"invoices"`
	Registers []register `json:"registers"`
	Token     string     `json:"token,omitempty"`
}

type register struct {
	Point, Register, Value string
}

func readUsers(path string) (usersFile, error) {
	var f usersFile
	b, err := os.ReadFile(path)
	if err != nil {
		return f, fmt.Errorf("users file: %w", err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("users file %s: %w", path, err)
	}
	if len(f.Users) == 0 || f.Password == "" {
		return f, fmt.Errorf("users file %s: no users or no password", path)
	}
	return f, nil
}

func run() error {
	cfg, err := parseFlags()
	if err != nil {
		return err
	}
	uf, err := readUsers(cfg.usersFile)
	if err != nil {
		return err
	}
	if cfg.mix.has("api") && cfg.token == "" && uf.Users[0].Token == "" {
		fmt.Fprintln(os.Stderr, "load: no API token (-token, EREKINS_LOAD_TOKEN or the users file): API requests left out of the mix")
		if cfg.mix = cfg.mix.without("api"); cfg.mix.total == 0 {
			return errors.New("nothing left to run")
		}
	}

	hc := newHTTPClient(cfg.concurrency, cfg.timeout)
	var next atomic.Uint64
	clients := make([]*client, cfg.concurrency)
	for i := range clients {
		u := uf.Users[i%len(uf.Users)]
		clients[i] = &client{hc: hc, urls: cfg.urls, next: &next, rng: rand.New(rand.NewPCG(uint64(i), 7)),
			user: u, pass: uf.Password, token: cmp.Or(cfg.token, u.Token)}
	}

	// Every client signs in first, at once; nothing of this is measured.
	errs := make([]error, len(clients))
	var wg sync.WaitGroup
	for i, c := range clients {
		c.rec = newRecorder(time.Time{}, time.Time{}) // records nothing
		wg.Go(func() {
			if _, _, err := c.signIn(); err != nil {
				errs[i] = fmt.Errorf("client %d (%s) signs in: %w", i, c.user.Email, err)
				return
			}
			if _, err := c.get("overview", "/", 200, nil); err != nil {
				errs[i] = fmt.Errorf("client %d (%s) opens the overview: %w", i, c.user.Email, err)
				return
			}
			c.csrf, errs[i] = c.field(csrfField, "CSRF token")
		})
		if i%8 == 7 {
			wg.Wait() // a few at a time: sign-ins are meant to be slow
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}

	begin := time.Now()
	from, to := begin.Add(cfg.warmup), begin.Add(cfg.warmup+cfg.duration)
	fmt.Fprintf(os.Stderr, "load: %d clients signed in, think time %s; %s of warm-up, then %s measured\n", len(clients), cfg.think, cfg.warmup, cfg.duration)
	for _, c := range clients {
		c.rec = newRecorder(from, to)
		wg.Go(func() {
			for time.Now().Before(to) {
				cfg.mix.pick(c)(c) // failures are recorded with their request
				if cfg.think > 0 {
					time.Sleep(cfg.think/2 + rand.N(cfg.think)) // a person reading the page
				}
			}
		})
	}
	wg.Wait()

	all := newRecorder(from, to)
	for _, c := range clients {
		all.merge(c.rec)
	}
	res := Result{Scenario: cfg.scenario, URLs: cfg.urls, Concurrency: cfg.concurrency, ThinkSeconds: cfg.think.Seconds(), Seconds: cfg.duration.Seconds()}
	res.Rows, res.Total = summarise(all, cfg.duration)
	printTable(os.Stdout, res)
	switch cfg.jsonOut {
	case "":
	case "-":
		return writeJSON(os.Stdout, res)
	default:
		f, err := os.Create(cfg.jsonOut)
		if err != nil {
			return err
		}
		if err := writeJSON(f, res); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}
