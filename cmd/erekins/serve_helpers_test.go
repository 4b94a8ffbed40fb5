package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
)

// served is a running `erekins serve` process with its standard error collected.
type served struct {
	cmd        *exec.Cmd
	URL        string
	MetricsURL string // with --metrics-addr
	done       chan struct{}
	code       int

	mu     sync.Mutex
	stderr strings.Builder
	notify chan struct{}
}

// startServe starts `erekins serve` on db on a free port with JSON logs and waits until it
// serves; the test's end kills it if it still runs.
func startServe(t *testing.T, db string, args ...string) *served {
	t.Helper()
	s := &served{done: make(chan struct{}), notify: make(chan struct{}, 1)}
	s.cmd = exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)...)
	s.cmd.Env = append(os.Environ(), "EREKINS_DB="+db)
	stdout, _ := s.cmd.StdoutPipe()
	stderr, _ := s.cmd.StderrPipe()
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "metrics on "); ok {
				s.MetricsURL = u // printed before the serving line, read after it
			}
			if u, ok := strings.CutPrefix(sc.Text(), "erekins is serving on "); ok {
				u, _, _ = strings.Cut(u, " ")
				urls <- u
			}
		}
	}()
	go func() {
		defer wg.Done()
		r := bufio.NewReader(stderr)
		for {
			line, err := r.ReadString('\n')
			s.mu.Lock()
			s.stderr.WriteString(line)
			s.mu.Unlock()
			select {
			case s.notify <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		wg.Wait() // the pipes are read to the end before Wait closes them
		err := s.cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			s.code = ee.ExitCode()
		} else if err != nil {
			s.code = -1
		}
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("serve's standard error:\n%s", s.logs())
		}
	})
	select {
	case s.URL = <-urls:
	case <-s.done:
		t.Fatalf("serve exited %d before serving:\n%s", s.code, s.logs())
	case <-time.After(time.Minute):
		t.Fatalf("serve did not start within a minute:\n%s", s.logs())
	}
	return s
}

func (s *served) logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// waitLog waits until standard error holds sub and returns what it holds then.
func (s *served) waitLog(t *testing.T, sub string, timeout time.Duration) string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if l := s.logs(); strings.Contains(l, sub) {
			return l
		}
		select {
		case <-s.notify:
		case <-s.done:
			if l := s.logs(); strings.Contains(l, sub) {
				return l
			}
			t.Fatalf("serve exited %d without logging %q", s.code, sub)
		case <-deadline:
			t.Fatalf("serve did not log %q within %s", sub, timeout)
		}
	}
}

// stop sends SIGTERM and returns the exit status.
func (s *served) stop(t *testing.T) int {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		t.Fatalf("serve still running a minute after SIGTERM")
	}
	return s.code
}

// logLines are the JSON log lines of standard error, decoded.
func (s *served) logLines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.logs()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("not a JSON log line: %s", l)
			continue
		}
		out = append(out, m)
	}
	return out
}

// writeDataset writes a generated dataset of e-invoice contracts into dir and returns its
// path and the registration number of its first customer.
func writeDataset(t *testing.T, dir string, cfg datagen.Config) (string, string) {
	t.Helper()
	file := filepath.Join(dir, "data.json")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LastPeriod.IsZero() {
		cfg.LastPeriod = calendar.MustDate("2026-11-01")
	}
	err = datagen.Write(f, cfg)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var ds struct {
		Customers []struct {
			Reg string `json:"registration_number"`
		} `json:"customers"`
	}
	b, _ := os.ReadFile(file)
	if err := json.Unmarshal(b, &ds); err != nil || len(ds.Customers) == 0 {
		t.Fatalf("read the generated dataset: %v", err)
	}
	return file, ds.Customers[0].Reg
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// browser is an HTTP client that keeps cookies (for 127.0.0.1, whatever the port) and
// does not follow redirects.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetch GETs u and returns the status and body.
func fetch(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// csrfOf is the CSRF token of a page's form.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%.500s", page)
	}
	return m[1]
}

// signInAt signs in through base's form.
func signInAt(t *testing.T, c *http.Client, base, email, password string) {
	t.Helper()
	_, page := fetch(t, c, base+"/signin")
	csrf := csrfOf(t, page)
	res, err := c.PostForm(base+"/signin", url.Values{"email": {email}, "password": {password}, "csrf": {csrf}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign-in at %s: %s to %q, want 303 to /", base, res.Status, res.Header.Get("Location"))
	}
}
