package billing_test

import (
	"testing"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

var testPlan = billing.PricePlan{Code: "BIZ", Components: []billing.Component{
	kwhComponent("ENERGY", billing.ZoneSingle, price("2025-01-01", "0.10")),
	kwhComponent("ENERGY-DAY", billing.ZoneDay, price("2025-01-01", "0.12")),
	kwhComponent("ENERGY-NIGHT", billing.ZoneNight, price("2025-01-01", "0.08")),
	kwhComponent("NETWORK", "", price("2025-01-01", "0.05")),
	monthComponent("FIXED", price("2025-01-01", "10")),
}}

// planner is a Planner on the plain Latvian calendar whose clock reads now.
func planner(now time.Time) *billing.Planner {
	return &billing.Planner{
		Rules:    billing.DefaultRules(),
		Schedule: billing.Schedule{Workdays: calendar.NewWorkdays(nil, nil), Rules: billing.DefaultRules()},
		Supplier: billing.Supplier{Name: "Erekins Energy"},
		Plans:    map[string]billing.PricePlan{"BIZ": testPlan},
		Now:      func() time.Time { return now },
	}
}

// reading is an actual portal reading of register reg dated date, submitted at the instant.
func reading(reg, date, value string, submitted time.Time) billing.Reading {
	r := actual(date, value)
	r.MeteringPoint, r.Register, r.SubmittedAt = "MP1", reg, submitted
	return r
}

// state is a contract on e-invoice (base term 15) starting on start with one metering point
// MP1 (6 digits, multiplier 1) whose registers have the given readings.
func state(start string, regs map[string][]billing.Reading) *billing.ContractState {
	mp := billing.MeteringPoint{Code: "MP1", Multiplier: 1, Digits: 6}
	hs := map[billing.RegisterKey]*billing.History{}
	for _, reg := range []string{billing.ZoneSingle, billing.ZoneDay, billing.ZoneNight} {
		rs, ok := regs[reg]
		if !ok {
			continue
		}
		mp.Registers = append(mp.Registers, reg)
		h := &billing.History{Digits: 6, Multiplier: 1}
		for _, r := range rs {
			h.Add(r)
		}
		hs[billing.RegisterKey{MeteringPoint: "MP1", Register: reg}] = h
	}
	return &billing.ContractState{
		Contract: billing.Contract{ID: 1, Number: "L-1", CustomerID: 2, Start: d(start), PricePlan: "BIZ",
			PaymentTermDays: 15, MonthlyEstimateKWh: dec("300"),
			Delivery:       billing.DeliverySettings{Method: billing.EInvoice, Recipients: []string{"rekini@example.lv"}},
			MeteringPoints: []billing.MeteringPoint{mp}},
		Customer:  billing.Customer{ID: 2, Name: "SIA Piemērs", Language: billing.Latvian, Contacts: []billing.Contact{{Name: "A"}}},
		Histories: hs,
	}
}

func mustPlan(t *testing.T, p *billing.Planner, st *billing.ContractState, today string) []billing.Issue {
	t.Helper()
	issues, err := p.Plan(st, d(today))
	if err != nil {
		t.Fatalf("Plan(%s): %v", today, err)
	}
	return issues
}

// energy sums the quantities of a document's per-kWh lines.
func energy(inv *billing.Invoice) string {
	sum := dec("0")
	for _, l := range inv.Lines {
		if l.Unit == billing.UnitKWh && l.Component != "NETWORK" {
			sum = sum.Add(l.Quantity)
		}
	}
	return sum.String()
}

func TestPlanWhenDue(t *testing.T) {
	t.Parallel()
	baseline := reading("T1", "2026-10-01", "1000", rigaAt("2026-10-01", 9, 0))
	tests := []struct {
		name      string
		readings  []billing.Reading
		today     string
		wantIssue string // issue date, "" for nothing due
	}{
		{"not due before the window opens", []billing.Reading{baseline}, "2026-10-26", ""},
		{"not due while the window is open and a reading is missing", []billing.Reading{baseline}, "2026-11-03", ""},
		{"not due on the day of completion",
			[]billing.Reading{baseline, reading("T1", "2026-10-30", "1500", rigaAt("2026-10-30", 10, 0))}, "2026-10-30", ""},
		{"completion on Friday is due on Monday",
			[]billing.Reading{baseline, reading("T1", "2026-10-30", "1500", rigaAt("2026-10-30", 10, 0))}, "2026-11-02", "2026-11-02"},
		{"the submission day counts, not the date on the reading",
			[]billing.Reading{baseline, reading("T1", "2026-10-27", "1500", rigaAt("2026-11-02", 10, 0))}, "2026-11-02", ""},
		{"submitted on Thursday 22:30 UTC is Friday in Riga: not due on Friday",
			[]billing.Reading{baseline, reading("T1", "2026-10-29", "1500", time.Date(2026, 10, 29, 22, 30, 0, 0, time.UTC))}, "2026-10-30", ""},
		{"submitted on Thursday 22:30 UTC is Friday in Riga: due on Monday",
			[]billing.Reading{baseline, reading("T1", "2026-10-29", "1500", time.Date(2026, 10, 29, 22, 30, 0, 0, time.UTC))}, "2026-11-02", "2026-11-02"},
		{"a reading submitted after today does not count",
			[]billing.Reading{baseline, reading("T1", "2026-10-30", "1500", rigaAt("2026-11-05", 10, 0))}, "2026-11-03", ""},
		{"a late issue is issued today",
			[]billing.Reading{baseline, reading("T1", "2026-10-28", "1500", rigaAt("2026-10-28", 10, 0))}, "2026-11-02", "2026-11-02"},
		{"window closed on Tuesday 3 Nov with the reading missing: estimate on Wednesday",
			[]billing.Reading{baseline}, "2026-11-04", "2026-11-04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := state("2026-10-01", map[string][]billing.Reading{"T1": tt.readings})
			issues := mustPlan(t, planner(rigaAt(tt.today, 6, 0)), st, tt.today)
			if tt.wantIssue == "" {
				if len(issues) != 0 {
					t.Fatalf("%d issues on %s, want none", len(issues), tt.today)
				}
				return
			}
			if len(issues) != 1 {
				t.Fatalf("%d issues on %s, want 1", len(issues), tt.today)
			}
			if got := issues[0].Documents[0].IssueDate; got != d(tt.wantIssue) {
				t.Errorf("issued on %s, want %s", got, tt.wantIssue)
			}
		})
	}
}

func TestPlanInvoice(t *testing.T) {
	t.Parallel()
	st := state("2026-10-01", map[string][]billing.Reading{"T1": {
		reading("T1", "2026-10-01", "1000", rigaAt("2026-10-01", 9, 0)),
		reading("T1", "2026-10-30", "1500", rigaAt("2026-10-30", 10, 0)),
	}})
	now := rigaAt("2026-11-02", 6, 0)
	issues := mustPlan(t, planner(now), st, "2026-11-02")
	if len(issues) != 1 || len(issues[0].Documents) != 1 {
		t.Fatalf("issues = %+v, want one invoice", issues)
	}
	is := issues[0]
	inv := is.Documents[0]
	if is.ContractID != 1 || is.Period != d("2026-10-01") || is.Rebill != nil || len(is.Estimates) != 0 {
		t.Errorf("issue = contract %d period %s rebill %v estimates %d", is.ContractID, is.Period, is.Rebill, len(is.Estimates))
	}
	if inv.Type != billing.TypeInvoice || inv.Period != (billing.Period{Start: d("2026-10-01"), End: d("2026-10-31")}) {
		t.Errorf("%s for %+v", inv.Type, inv.Period)
	}
	// e-invoice: base 15 + 5 = 20 days; 2 Nov + 20 = Sunday 22 Nov, moved to Monday.
	if inv.PaymentTermDays != 20 || inv.DueDate != d("2026-11-23") || !inv.EInvoice {
		t.Errorf("term %d due %s e-invoice %v, want 20, 2026-11-23, true", inv.PaymentTermDays, inv.DueDate, inv.EInvoice)
	}
	if r := billing.DefaultRules(); inv.EInvoiceExtension != r.EInvoiceExtension || inv.MaxPaymentTerm != r.MaxPaymentTerm {
		t.Errorf("the invoice carries the rule %d/%d, want the planner's %d/%d", inv.EInvoiceExtension, inv.MaxPaymentTerm, r.EInvoiceExtension, r.MaxPaymentTerm)
	}
	checkLines(t, inv.Lines, []wantLine{
		{"ENERGY", "2026-10-01", "2026-10-31", "500", "0.1", "50", false},
		{"NETWORK", "2026-10-01", "2026-10-31", "500", "0.05", "25", false},
		{"FIXED", "2026-10-01", "2026-10-31", "1", "10", "10", false},
	})
	if !inv.Totals.Net.Equal(dec("85")) || !inv.Totals.VAT.Equal(dec("17.85")) || !inv.Totals.Payable.Equal(dec("102.85")) {
		t.Errorf("totals %+v", inv.Totals)
	}
	if inv.Supplier.Name != "Erekins Energy" || inv.Customer.Name != "SIA Piemērs" || inv.Customer.Contacts != nil ||
		inv.Currency != "EUR" || inv.Language != billing.Latvian || inv.ContractNumber != "L-1" || !inv.CreatedAt.Equal(now) {
		t.Errorf("invoice header %+v", inv)
	}
	if inv.Estimated {
		t.Error("an invoice on actual readings is marked estimated")
	}
}

func TestPlanTwoRegistersCompleteWithTheLast(t *testing.T) {
	t.Parallel()
	st := state("2026-10-01", map[string][]billing.Reading{
		"DAY":   {reading("DAY", "2026-10-01", "100", rigaAt("2026-10-01", 9, 0)), reading("DAY", "2026-10-28", "300", rigaAt("2026-10-28", 9, 0))},
		"NIGHT": {reading("NIGHT", "2026-10-01", "50", rigaAt("2026-10-01", 9, 0)), reading("NIGHT", "2026-10-30", "150", rigaAt("2026-10-30", 9, 0))},
	})
	for _, today := range []string{"2026-10-29", "2026-10-30"} {
		if got := mustPlan(t, planner(rigaAt(today, 6, 0)), st, today); len(got) != 0 {
			t.Errorf("%d issues on %s with the night reading missing until Friday", len(got), today)
		}
	}
	issues := mustPlan(t, planner(rigaAt("2026-11-02", 6, 0)), st, "2026-11-02")
	if len(issues) != 1 {
		t.Fatalf("%d issues on Monday, want 1", len(issues))
	}
	checkLines(t, issues[0].Documents[0].Lines, []wantLine{
		{"ENERGY-DAY", "2026-10-01", "2026-10-31", "200", "0.12", "24", false},
		{"NETWORK", "2026-10-01", "2026-10-31", "200", "0.05", "10", false},
		{"ENERGY-NIGHT", "2026-10-01", "2026-10-31", "100", "0.08", "8", false},
		{"NETWORK", "2026-10-01", "2026-10-31", "100", "0.05", "5", false},
		{"FIXED", "2026-10-01", "2026-10-31", "1", "10", "10", false},
	})
}

func TestPlanEstimateAndCorrection(t *testing.T) {
	t.Parallel()
	st := state("2026-10-01", map[string][]billing.Reading{"T1": {
		reading("T1", "2026-10-01", "1000", rigaAt("2026-10-01", 9, 0)),
	}})
	key := billing.RegisterKey{MeteringPoint: "MP1", Register: "T1"}

	// The window closes on Tuesday 3 Nov with the reading missing: with no history yet, the
	// contract's declared 300 kWh a month is estimated on Wednesday.
	now := rigaAt("2026-11-04", 6, 0)
	issues := mustPlan(t, planner(now), st, "2026-11-04")
	if len(issues) != 1 || len(issues[0].Estimates) != 1 {
		t.Fatalf("issues = %+v, want one with one estimate", issues)
	}
	est := issues[0].Estimates[0]
	if !est.Estimated() || est.Date != d("2026-10-31") || !est.Value.Equal(dec("1300")) || est.MeteringPoint != "MP1" ||
		est.Register != "T1" || !est.SubmittedAt.Equal(now) {
		t.Errorf("estimate = %+v, want 1300 on 2026-10-31", est)
	}
	if h := st.Histories[key]; len(h.Readings) != 2 || !h.Readings[1].Estimated() {
		t.Errorf("the estimate was not added to the history: %+v", h.Readings)
	}
	inv := issues[0].Documents[0]
	if !inv.Estimated {
		t.Error("the invoice is not marked estimated")
	}
	checkLines(t, inv.Lines, []wantLine{
		{"ENERGY", "2026-10-01", "2026-10-31", "300", "0.1", "30", true},
		{"NETWORK", "2026-10-01", "2026-10-31", "300", "0.05", "15", true},
		{"FIXED", "2026-10-01", "2026-10-31", "1", "10", "10", false},
	})

	// November's actual reading is lower than the estimate: consumption is measured from
	// the estimate, negative, and the document is a credit note.
	st.LastBilled = d("2026-10-01")
	st.Histories[key].Add(reading("T1", "2026-11-27", "1050", rigaAt("2026-11-27", 10, 0)))
	issues = mustPlan(t, planner(rigaAt("2026-11-30", 6, 0)), st, "2026-11-30")
	if len(issues) != 1 || len(issues[0].Estimates) != 0 {
		t.Fatalf("issues = %+v, want one without estimates", issues)
	}
	cn := issues[0].Documents[0]
	if cn.Type != billing.TypeCreditNote || cn.Estimated {
		t.Errorf("November is a %s (estimated %v), want a credit note on actual readings", cn.Type, cn.Estimated)
	}
	// -250 kWh: energy -25, network -12.50, fixed +10 = -27.50 net, credited as 27.50 + 5.78 VAT.
	checkLines(t, cn.Lines, []wantLine{
		{"ENERGY", "2026-11-01", "2026-11-30", "250", "0.1", "25", false},
		{"NETWORK", "2026-11-01", "2026-11-30", "250", "0.05", "12.5", false},
		{"FIXED", "2026-11-01", "2026-11-30", "-1", "10", "-10", false},
	})
	if !cn.Totals.Net.Equal(dec("27.5")) || !cn.Totals.VAT.Equal(dec("5.78")) || !cn.Totals.Payable.Equal(dec("33.28")) {
		t.Errorf("credit note totals %+v", cn.Totals)
	}
	if l := cn.Lines[0]; !l.PreviousReading.Equal(dec("1300")) || !l.CurrentReading.Equal(dec("1050")) {
		t.Errorf("readings on the line %s → %s, want 1300 → 1050", l.PreviousReading, l.CurrentReading)
	}
}

func TestPlanEstimateFromHistory(t *testing.T) {
	t.Parallel()
	st := state("2026-06-01", map[string][]billing.Reading{"T1": {
		reading("T1", "2026-06-28", "1000", rigaAt("2026-06-28", 9, 0)),
		reading("T1", "2026-07-28", "1300", rigaAt("2026-07-28", 9, 0)),
		reading("T1", "2026-08-28", "1610", rigaAt("2026-08-28", 9, 0)),
		reading("T1", "2026-09-28", "1910", rigaAt("2026-09-28", 9, 0)),
	}})
	st.LastBilled = d("2026-09-01")
	issues := mustPlan(t, planner(rigaAt("2026-11-04", 6, 0)), st, "2026-11-04")
	if len(issues) != 1 || len(issues[0].Estimates) != 1 {
		t.Fatalf("issues = %+v, want one with one estimate", issues)
	}
	// 910 kWh in 92 days × 31 days of October = 306.630 kWh.
	if got := issues[0].Estimates[0].Value; !got.Equal(dec("2216.63")) {
		t.Errorf("estimate %s, want 2216.63", got)
	}
}

func TestPlanFirstReadingIsBaseline(t *testing.T) {
	t.Parallel()
	st := state("2026-10-01", map[string][]billing.Reading{"T1": {
		reading("T1", "2026-10-29", "5000", rigaAt("2026-10-29", 9, 0)),
	}})
	issues := mustPlan(t, planner(rigaAt("2026-10-30", 6, 0)), st, "2026-10-30")
	if len(issues) != 1 {
		t.Fatalf("%d issues, want 1", len(issues))
	}
	checkLines(t, issues[0].Documents[0].Lines, []wantLine{
		{"FIXED", "2026-10-01", "2026-10-31", "1", "10", "10", false},
	})
}

// TestPlanNoEstimateWithoutBaseline: with no reading at all there is nothing to estimate
// from; an estimate from zero would bill the whole meter at the first actual reading.
func TestPlanNoEstimateWithoutBaseline(t *testing.T) {
	t.Parallel()
	st := state("2026-10-01", map[string][]billing.Reading{"T1": nil})
	issues := mustPlan(t, planner(rigaAt("2026-11-04", 6, 0)), st, "2026-11-04")
	if len(issues) != 1 || len(issues[0].Estimates) != 0 {
		t.Fatalf("issues = %+v, want one without estimates", issues)
	}
	checkLines(t, issues[0].Documents[0].Lines, []wantLine{
		{"FIXED", "2026-10-01", "2026-10-31", "1", "10", "10", false},
	})
	// The first actual reading is then the baseline.
	st.LastBilled = d("2026-10-01")
	key := billing.RegisterKey{MeteringPoint: "MP1", Register: "T1"}
	st.Histories[key].Add(reading("T1", "2026-11-27", "54321", rigaAt("2026-11-27", 9, 0)))
	issues = mustPlan(t, planner(rigaAt("2026-11-30", 6, 0)), st, "2026-11-30")
	if len(issues) != 1 || energy(issues[0].Documents[0]) != "0" {
		t.Fatalf("November bills %s kWh of energy, want none", energy(issues[0].Documents[0]))
	}
}

func TestPlanSeveralMonthsInOrder(t *testing.T) {
	t.Parallel()
	st := state("2026-08-01", map[string][]billing.Reading{"T1": {
		reading("T1", "2026-08-01", "1000", rigaAt("2026-08-01", 9, 0)),
		reading("T1", "2026-08-28", "1300", rigaAt("2026-08-28", 9, 0)),
		// September is missing.
		reading("T1", "2026-10-28", "1900", rigaAt("2026-10-28", 9, 0)),
	}})
	issues := mustPlan(t, planner(rigaAt("2026-11-02", 6, 0)), st, "2026-11-02")
	want := []struct {
		period, energy string
		estimates      int
	}{
		{"2026-08-01", "300", 0},
		// 300 kWh in 27 days × 30 days of September.
		{"2026-09-01", "333.333", 1},
		{"2026-10-01", "266.667", 0},
	}
	if len(issues) != len(want) {
		t.Fatalf("%d issues, want %d", len(issues), len(want))
	}
	for i, w := range want {
		is := issues[i]
		if is.Period != d(w.period) || energy(is.Documents[0]) != w.energy || len(is.Estimates) != w.estimates ||
			is.Documents[0].IssueDate != d("2026-11-02") {
			t.Errorf("issue %d: period %s energy %s estimates %d issued %s; want %s %s %d", i,
				is.Period, energy(is.Documents[0]), len(is.Estimates), is.Documents[0].IssueDate, w.period, w.energy, w.estimates)
		}
	}
}

func TestPlanRespectsBilledThrough(t *testing.T) {
	t.Parallel()
	readings := []billing.Reading{
		reading("T1", "2026-07-28", "1000", rigaAt("2026-07-28", 9, 0)),
		reading("T1", "2026-08-28", "1300", rigaAt("2026-08-28", 9, 0)),
		reading("T1", "2026-09-28", "1600", rigaAt("2026-09-28", 9, 0)),
		reading("T1", "2026-10-28", "2000", rigaAt("2026-10-28", 9, 0)),
	}
	tests := []struct {
		name          string
		billedThrough string
		lastBilled    string
		wantPeriods   []string
	}{
		{"billed through September by the previous system", "2026-09-30", "", []string{"2026-10-01"}},
		{"the last period billed by erekins", "", "2026-08-01", []string{"2026-09-01", "2026-10-01"}},
		{"the later of the two wins", "2026-08-31", "2026-09-01", []string{"2026-10-01"}},
		{"everything billed", "", "2026-10-01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := state("2026-08-01", map[string][]billing.Reading{"T1": readings})
			if tt.billedThrough != "" {
				st.Contract.BilledThrough = d(tt.billedThrough)
			}
			if tt.lastBilled != "" {
				st.LastBilled = d(tt.lastBilled)
			}
			issues := mustPlan(t, planner(rigaAt("2026-11-02", 6, 0)), st, "2026-11-02")
			if len(issues) != len(tt.wantPeriods) {
				t.Fatalf("%d issues, want %v", len(issues), tt.wantPeriods)
			}
			for i, p := range tt.wantPeriods {
				if issues[i].Period != d(p) {
					t.Errorf("issue %d for %s, want %s", i, issues[i].Period, p)
				}
			}
			if last := issues; len(last) > 0 && last[len(last)-1].Period == d("2026-10-01") && energy(last[len(last)-1].Documents[0]) != "400" {
				t.Errorf("October bills %s kWh, want 400 from September's reading", energy(last[len(last)-1].Documents[0]))
			}
		})
	}
}

func TestPlanContractEnd(t *testing.T) {
	t.Parallel()
	st := state("2026-10-01", map[string][]billing.Reading{"T1": {
		reading("T1", "2026-10-01", "1000", rigaAt("2026-10-01", 9, 0)),
		reading("T1", "2026-10-28", "1200", rigaAt("2026-10-28", 9, 0)),
	}})
	st.Contract.End = d("2026-10-15")
	issues := mustPlan(t, planner(rigaAt("2026-12-07", 6, 0)), st, "2026-12-07")
	if len(issues) != 1 {
		t.Fatalf("%d issues, want October only", len(issues))
	}
	inv := issues[0].Documents[0]
	if inv.Period != (billing.Period{Start: d("2026-10-01"), End: d("2026-10-15")}) {
		t.Errorf("period %+v, want 1–15 Oct", inv.Period)
	}
	checkLines(t, inv.Lines, []wantLine{
		{"ENERGY", "2026-10-01", "2026-10-15", "200", "0.1", "20", false},
		{"NETWORK", "2026-10-01", "2026-10-15", "200", "0.05", "10", false},
		{"FIXED", "2026-10-01", "2026-10-15", "0.484", "10", "4.84", false}, // 15/31 of a month
	})
}

func TestPlanRebill(t *testing.T) {
	t.Parallel()
	key := billing.RegisterKey{MeteringPoint: "MP1", Register: "T1"}
	st := state("2026-10-01", map[string][]billing.Reading{"T1": {
		reading("T1", "2026-10-01", "1000", rigaAt("2026-10-01", 9, 0)),
		reading("T1", "2026-10-30", "1500", rigaAt("2026-10-30", 9, 0)),
	}})
	issues := mustPlan(t, planner(rigaAt("2026-11-02", 6, 0)), st, "2026-11-02")
	if len(issues) != 1 {
		t.Fatalf("%d issues, want 1", len(issues))
	}
	old := issues[0].Documents[0]
	old.Number = "ER-2026-000010"
	old.PaymentReference = billing.PaymentReference(old.Number)

	// On Tuesday 10 Nov the reading is corrected to 1400: the history holds the correction
	// instead of the reading it supersedes.
	correction := reading("T1", "2026-10-30", "1400", rigaAt("2026-11-10", 10, 0))
	correction.Supersedes, correction.Reason = 1, "typo"
	st.Histories[key].Readings[1] = correction
	st.LastBilled = d("2026-10-01")
	st.Rebills = []billing.Rebill{{Period: d("2026-10-01"), Current: old, CorrectedAt: correction.SubmittedAt, Reason: "reading corrected"}}

	if got := mustPlan(t, planner(rigaAt("2026-11-10", 6, 0)), st, "2026-11-10"); len(got) != 0 {
		t.Fatalf("%d issues on the day of the correction, want none", len(got))
	}
	now := rigaAt("2026-11-11", 6, 0)
	issues = mustPlan(t, planner(now), st, "2026-11-11")
	if len(issues) != 1 {
		t.Fatalf("%d issues, want 1", len(issues))
	}
	is := issues[0]
	if is.Rebill == nil || is.Period != d("2026-10-01") || len(is.Documents) != 2 {
		t.Fatalf("issue = %+v, want a rebill of October with two documents", is)
	}
	cn, inv := is.Documents[0], is.Documents[1]
	if cn.Type != billing.TypeCreditNote || cn.Corrects != "ER-2026-000010" || cn.CorrectsDate != d("2026-11-02") ||
		cn.Reason != "reading corrected" || cn.Number != "" || cn.PaymentReference != "" {
		t.Errorf("credit note %s corrects %q of %s for %q, number %q, reference %q", cn.Type, cn.Corrects, cn.CorrectsDate, cn.Reason, cn.Number, cn.PaymentReference)
	}
	if cn.IssueDate != d("2026-11-11") || !cn.CreatedAt.Equal(now) {
		t.Errorf("credit note issued %s created %s, want today", cn.IssueDate, cn.CreatedAt)
	}
	if !cn.Totals.Payable.Equal(old.Totals.Payable) || energy(cn) != "500" {
		t.Errorf("credit note payable %s energy %s, want the old invoice's %s and 500", cn.Totals.Payable, energy(cn), old.Totals.Payable)
	}
	if inv.Type != billing.TypeInvoice || energy(inv) != "400" || inv.IssueDate != d("2026-11-11") || inv.Period.Start != d("2026-10-01") {
		t.Errorf("new invoice %s of %s kWh issued %s", inv.Type, energy(inv), inv.IssueDate)
	}
	if old.IssueDate != d("2026-11-02") || old.Type != billing.TypeInvoice {
		t.Error("the rebill changed the old invoice")
	}
}

func TestPlanUnknownPricePlan(t *testing.T) {
	t.Parallel()
	st := state("2026-10-01", map[string][]billing.Reading{"T1": nil})
	st.Contract.PricePlan = "NONE"
	_, err := planner(rigaAt("2026-11-04", 6, 0)).Plan(st, d("2026-11-04"))
	if billing.ErrorCode(err) != billing.ErrInvalid {
		t.Errorf("Plan with an unknown price plan: %v, want code %q", err, billing.ErrInvalid)
	}
}

func TestPlanRejectsImpossibleReading(t *testing.T) {
	t.Parallel()
	st := state("2026-10-01", map[string][]billing.Reading{"T1": {
		reading("T1", "2026-10-01", "500000", rigaAt("2026-10-01", 9, 0)),
		reading("T1", "2026-10-28", "400000", rigaAt("2026-10-28", 9, 0)),
	}})
	_, err := planner(rigaAt("2026-11-02", 6, 0)).Plan(st, d("2026-11-02"))
	if billing.ErrorCode(err) != billing.ErrInvalid {
		t.Errorf("Plan over a reading lower than the last one: %v, want code %q", err, billing.ErrInvalid)
	}
}
