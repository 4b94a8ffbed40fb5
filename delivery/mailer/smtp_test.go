package mailer_test

import (
	"context"
	"testing"
	"time"

	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/delivery/mailer"
	"github.com/erekins/erekins/delivery/smtptest"
)

func message(id string) *delivery.Message {
	return &delivery.Message{From: "rekini@example.lv", FromName: `AS "Enerģija"`, To: "ap@example.com", Subject: "Rēķins",
		MessageID: id + "@example.lv", Date: time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC), Text: "teksts", HTML: "<p>teksts</p>",
		Attachments: []delivery.Attachment{{Name: "a.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}}}
}

// A kept connection that the server dropped while idle is replaced, not counted as a failure.
func TestSMTPReplacesStaleConnection(t *testing.T) {
	srv := smtptest.Start(t)
	s, err := mailer.NewSMTP(srv.URL(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if r := s.Send(ctx, message("one")); r.Outcome != delivery.OutcomeAccepted || r.Code != 250 {
		t.Fatalf("first: %+v", r)
	}
	srv.Down()
	srv.Up(t)
	if r := s.Send(ctx, message("two")); r.Outcome != delivery.OutcomeAccepted {
		t.Fatalf("after the server restarted: %+v, want accepted on a new connection", r)
	}
	got := srv.Received()
	if len(got) != 2 || got[0].MessageID != "one@example.lv" || got[1].MessageID != "two@example.lv" {
		t.Fatalf("received %+v", got)
	}
}

func TestSMTPURL(t *testing.T) {
	for _, bad := range []string{"mail.example.lv:25", "http://x", "smtp://x:port", "smtp://x?tls=maybe"} {
		if _, err := mailer.NewSMTP(bad, time.Second); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	s, err := mailer.NewSMTP("smtp://user:secret@mail.example.lv:587?tls=required", time.Second)
	if err != nil || s.Server() != "mail.example.lv:587" {
		t.Errorf("server %q, err %v; want host:port without credentials", s.Server(), err)
	}
}
