package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

// Metrics are erekins' Prometheus metrics, on a registry of their own (never the global
// one, so two servers in one test process do not collide): HTTP request durations, the
// business figures read from the database at scrape time, the database pool, the Go
// runtime and the process. No metric carries a customer's data: labels are routes,
// methods, status classes, invoice types, delivery statuses and job kinds.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.HistogramVec
	log      *slog.Logger
}

// NewMetrics registers every metric; db is read at each scrape, with timeout as the limit
// (zero: 5 s).
func NewMetrics(db *sqldb.DB, timeout time.Duration, log *slog.Logger) *Metrics {
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{Registry: prometheus.NewRegistry(), log: log}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "erekins_http_request_duration_seconds",
		Help:    "Time from a request's arrival to its handler's return, by route pattern, method and status class.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route", "method", "status"})
	m.Registry.MustRegister(m.requests,
		&dbCollector{db: db, timeout: timeout, log: log},
		collectors.NewDBStatsCollector(db.DB, "erekins"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.Registry,
		Timeout:       30 * time.Second,
	})
}

// observe records one request; a nil Metrics records nothing.
func (m *Metrics) observe(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status/100)+"xx").Observe(took.Seconds())
}

// The figures read from the database at scrape time. Every instance reads the same rows,
// so each reports the same, correct values however many instances run and whichever of
// them (or the CLI) did the work; aggregate them across instances with max, never sum.
var (
	issuedDesc = prometheus.NewDesc("erekins_invoices_issued_total",
		"Documents issued so far, by type (invoice, credit note), read from the database; every instance reports the same value.",
		[]string{"type"}, nil)
	deliveriesDesc = prometheus.NewDesc("erekins_deliveries",
		"E-mail deliveries by status, read from the database; every instance reports the same value.",
		[]string{"status"}, nil)
	queueDesc = prometheus.NewDesc("erekins_job_queue_depth",
		"Background jobs not completed, by state and kind, read from River's table; every instance reports the same value.",
		[]string{"state", "kind"}, nil)
	dbUpDesc = prometheus.NewDesc("erekins_metrics_database_up",
		"1 if this scrape read the database figures, 0 if a query failed or took longer than the scrape timeout.",
		nil, nil)
)

// The queries of the database figures: plain SQL that both dialects run alike. Completed
// jobs are left out of the queue depth: River keeps them a day as history.
const (
	issuedQuery     = `SELECT type, count(*) FROM invoices GROUP BY type`
	deliveriesQuery = `SELECT status, count(*) FROM deliveries GROUP BY status`
	queueQuery      = `SELECT state, kind, count(*) FROM river_job WHERE state <> 'completed' GROUP BY state, kind`
)

// dbCollector reads the database figures at each scrape, within its timeout.
type dbCollector struct {
	db      *sqldb.DB
	timeout time.Duration
	log     *slog.Logger
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- issuedDesc
	ch <- deliveriesDesc
	ch <- queueDesc
	ch <- dbUpDesc
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	up := 1.0
	if err := c.query(ctx, issuedQuery, func(l []string, n float64) {
		ch <- prometheus.MustNewConstMetric(issuedDesc, prometheus.CounterValue, n, l...)
	}); err != nil {
		up = 0
	}
	// Every delivery status is reported, zero included, so an alert on failed sees 0 rather
	// than no series at all.
	counts := map[string]float64{}
	if err := c.query(ctx, deliveriesQuery, func(l []string, n float64) { counts[l[0]] += n }); err != nil {
		up = 0
	} else {
		for _, st := range delivery.Statuses {
			counts[st] += 0
		}
		for st, n := range counts {
			ch <- prometheus.MustNewConstMetric(deliveriesDesc, prometheus.GaugeValue, n, st)
		}
	}
	if err := c.query(ctx, queueQuery, func(l []string, n float64) {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, n, l...)
	}); err != nil {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(dbUpDesc, prometheus.GaugeValue, up)
}

// query runs a grouping query whose last column is a count and hands each row on; rows are
// read whole first, so a failure half-way emits nothing of that query.
func (c *dbCollector) query(ctx context.Context, q string, emit func(labels []string, n float64)) error {
	rows, err := c.db.Read.QueryContext(ctx, q)
	if err != nil {
		c.log.Warn("metrics: read the database", "error", err)
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	type row struct {
		labels []string
		n      int64
	}
	var out []row
	for rows.Next() {
		r := row{labels: make([]string, len(cols)-1)}
		dest := make([]any, len(cols))
		for i := range r.labels {
			dest[i] = &r.labels[i]
		}
		dest[len(cols)-1] = &r.n
		if err := rows.Scan(dest...); err != nil {
			c.log.Warn("metrics: read the database", "error", err)
			return err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		c.log.Warn("metrics: read the database", "error", err)
		return err
	}
	for _, r := range out {
		emit(r.labels, float64(r.n))
	}
	return nil
}
