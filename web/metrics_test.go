package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web"
)

// series is one gathered sample: its labels and value (a histogram's: its count).
type series struct {
	labels map[string]string
	value  float64
}

func gather(t *testing.T, m *web.Metrics) map[string][]series {
	t.Helper()
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	out := map[string][]series{}
	for _, f := range fams {
		for _, mt := range f.GetMetric() {
			s := series{labels: map[string]string{}}
			for _, l := range mt.GetLabel() {
				s.labels[l.GetName()] = l.GetValue()
			}
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				s.value = mt.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				s.value = mt.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				s.value = float64(mt.GetHistogram().GetSampleCount())
			}
			out[f.GetName()] = append(out[f.GetName()], s)
		}
	}
	return out
}

// sum adds the values of the series whose labels include want.
func sum(ss []series, want map[string]string) float64 {
	total := 0.0
next:
	for _, s := range ss {
		for k, v := range want {
			if s.labels[k] != v {
				continue next
			}
		}
		total += s.value
	}
	return total
}

// TestMetrics bills a day and makes a few requests, then checks the figures the registry
// gathers against what happened: requests by route pattern (never a raw path), issued
// documents by type, deliveries by status and queued jobs by state and kind.
func TestMetrics(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := newApp(t, dsn)
		res, err := a.Bill(ctx, calendar.DateOf(now))
		if err != nil || len(res.Issued) == 0 {
			t.Fatalf("bill: %d issued, %v", len(res.Issued), err)
		}
		issued := map[string]float64{}
		for _, i := range res.Issued {
			issued[i.Type]++
		}
		ds, err := a.Deliveries.List(ctx, sqldb.DeliveryFilter{})
		if err != nil || len(ds) == 0 {
			t.Fatalf("%d deliveries queued (%v)", len(ds), err)
		}

		m := web.NewMetrics(a.DB, 5*time.Second, nil)
		h, err := (&web.Server{App: a, Metrics: m}).Handler()
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()
		c := client(t)
		get(t, c, srv.URL+"/signin", nil)
		get(t, c, srv.URL+"/signin", nil)
		get(t, c, srv.URL+"/invoices/"+res.Issued[0].Number, nil) // not signed in: to sign in
		get(t, c, srv.URL+"/no/such/page", nil)

		got := gather(t, m)
		for _, w := range []struct {
			route, method, status string
			n                     float64
		}{
			{"/signin", "GET", "2xx", 2},
			{"/invoices/{number}", "GET", "3xx", 1},
			{"unmatched", "GET", "4xx", 1},
		} {
			if n := sum(got["erekins_http_request_duration_seconds"], map[string]string{"route": w.route, "method": w.method, "status": w.status}); n != w.n {
				t.Errorf("requests %+v: %v observed, want %v", w, n, w.n)
			}
		}
		for _, s := range got["erekins_http_request_duration_seconds"] {
			if strings.Contains(s.labels["route"], res.Issued[0].Number) || strings.Contains(s.labels["route"], "no/such") {
				t.Errorf("a raw path in a label: %v", s.labels)
			}
		}
		for typ, n := range issued {
			if v := sum(got["erekins_invoices_issued_total"], map[string]string{"type": typ}); v != n {
				t.Errorf("issued %s: %v, want %v", typ, v, n)
			}
		}
		if v := sum(got["erekins_invoices_issued_total"], nil); v != float64(len(res.Issued)) {
			t.Errorf("issued in all: %v, want %d", v, len(res.Issued))
		}
		for _, st := range delivery.Statuses {
			want := 0.0
			for _, d := range ds {
				if d.Status == st {
					want++
				}
			}
			if v := sum(got["erekins_deliveries"], map[string]string{"status": st}); v != want || len(got["erekins_deliveries"]) < len(delivery.Statuses) {
				t.Errorf("deliveries %s: %v, want %v (series %v)", st, v, want, got["erekins_deliveries"])
			}
		}
		if v := sum(got["erekins_job_queue_depth"], map[string]string{"kind": "deliver"}); v != float64(len(ds)) {
			t.Errorf("delivery jobs queued: %v, want %d", v, len(ds))
		}
		if v := sum(got["erekins_metrics_database_up"], nil); v != 1 {
			t.Errorf("erekins_metrics_database_up = %v, want 1", v)
		}
		for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "go_sql_open_connections"} {
			if len(got[name]) == 0 {
				t.Errorf("no %s", name)
			}
		}

		// The handler serves the text format; a failing database shows as up 0, not a 500.
		ms := httptest.NewServer(m.Handler())
		defer ms.Close()
		if body := get(t, c, ms.URL, nil); !strings.Contains(body, "erekins_invoices_issued_total{") {
			t.Errorf("metrics page lacks the issued total:\n%.500s", body)
		}
		a.DB.Close()
		resp, err := http.Get(ms.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "erekins_metrics_database_up 0") {
			t.Errorf("with the database closed: %s\n%.300s", resp.Status, body)
		}
	})
}
