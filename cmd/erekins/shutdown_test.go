package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/delivery/smtptest"
	"github.com/erekins/erekins/store/sqldb"
)

// TestServeShutdown sends SIGTERM to `erekins serve` while a sign-in request is in flight
// (its handler waits for the form body, which the client sends after the signal) and a delivery job waits for the SMTP server's late reply: the
// listener closes at once, the request completes after the signal, the e-mail is recorded
// as sent, and the process exits 0.
func TestServeShutdown(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "erekins.db")
	file, reg := writeDataset(t, dir, datagen.Config{Seed: 11, Contracts: 1, MinMeteringPoints: 1, MeteringPoints: 1, Months: 1,
		LegacyBaseline: true, EInvoiceShare: 1})
	mustCLI(t, db, "import", file)
	const email, password = "ops@example.lv", "shutdown-test-password-1"
	mustCLI(t, db, "user", "add", "--email", email, "--name", "Ops", "--customer", reg, "--role", "admin", "--password", password)
	mustCLI(t, db, "bill", "--date", "2026-12-10")

	mail := smtptest.Start(t)
	mail.SetReplyDelay(5 * time.Second) // the message is taken at once, the reply is late
	s := startServe(t, db, "--smtp", mail.URL(), "--shutdown-timeout", "30s")
	mail.WaitFor(t, 1, time.Minute) // a delivery job is in flight

	// A sign-in whose body arrives in two halves, the second after SIGTERM.
	c := browser()
	_, page := fetch(t, c, s.URL+"/signin")
	u, _ := url.Parse(s.URL)
	var cookie []string
	for _, k := range c.Jar.Cookies(u) {
		cookie = append(cookie, k.Name+"="+k.Value)
	}
	body := url.Values{"email": {email}, "password": {password}, "csrf": {csrfOf(t, page)}, "next": {"/"}}.Encode()
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// With Expect: 100-continue the server says when the handler starts to read the body:
	// from then on the request is in flight, whatever the timing.
	fmt.Fprintf(conn, "POST /signin HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		u.Host, strings.Join(cookie, "; "), len(body))
	rd := bufio.NewReader(conn)
	if line, err := rd.ReadString('\n'); err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
		t.Fatalf("want 100 Continue, got %q (%v)", line, err)
	}
	if line, _ := rd.ReadString('\n'); line != "\r\n" {
		t.Fatalf("100 Continue followed by %q", line)
	}

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	s.waitLog(t, "shutting down", time.Minute)
	deadline := time.Now().Add(time.Minute)
	for { // the listener closes at once: new connections are refused
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("serve still accepts connections a minute after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := conn.Write([]byte(body)); err != nil {
		t.Fatalf("finish the request after SIGTERM: %v", err)
	}
	res, err := http.ReadResponse(rd, nil)
	if err != nil {
		t.Fatalf("the request in flight got no response: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Errorf("the request in flight: %s to %q, want 303 to / (signed in)", res.Status, res.Header.Get("Location"))
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("serve exited %d after SIGTERM, want 0", code)
	}

	// The delivery in flight finished after the signal: sent, and received once.
	lines := s.logLines(t)
	shutdownAt, attemptAt := -1, -1
	for i, l := range lines {
		switch msg, _ := l["msg"].(string); {
		case strings.HasPrefix(msg, "shutting down") && shutdownAt < 0:
			shutdownAt = i
		case msg == "delivery attempt":
			attemptAt = i
		}
	}
	if attemptAt < shutdownAt {
		t.Errorf("the delivery attempt (log line %d) ended before SIGTERM (line %d): the test proved nothing about jobs in flight", attemptAt, shutdownAt)
	}
	sdb, err := sqldb.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	ds := list(t, sqldb.NewDeliveries(sdb, nil, time.Now))
	if len(ds) == 0 {
		t.Fatal("no deliveries")
	}
	sent := 0
	for _, d := range ds {
		if d.Status == delivery.Sent {
			sent++
		}
	}
	if got := len(mail.Received()); sent != got || sent == 0 {
		t.Errorf("%d deliveries sent, %d messages received; want the same, at least one", sent, got)
	}
}
