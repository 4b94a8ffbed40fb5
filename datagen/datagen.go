// Package datagen writes erekins datasets (format version 1, shared/spec/cli.md): the demo's
// small one with Latvian names, random ones for property tests, and the large ones the
// benchmarks import and bill (100,000 contracts, 200,000 registers, 13 months of readings).
// It streams, so a large dataset never has to fit in memory.
package datagen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// Config shapes a generated dataset.
type Config struct {
	Seed      uint64
	Contracts int
	// A contract gets between MinMeteringPoints (at least 1) and MeteringPoints.
	MinMeteringPoints, MeteringPoints int
	// LegacyBaseline marks the baseline month billed by the previous system
	// (billed_through), so erekins bills from the first month with consumption.
	LegacyBaseline bool
	// BilledThrough, when set, marks every period up to that month billed by the previous
	// system: the readings before it are history, and billing issues the months after.
	BilledThrough billing.Month
	// Months of closing readings, the last one for LastPeriod; a baseline reading comes
	// the month before.
	Months     int
	LastPeriod billing.Month
	// SkipPeriod, when set, is a month with no readings (estimated when billed).
	SkipPeriod billing.Month
	// Customers gives the customers' names and languages in turn; generated when empty.
	Customers []Customer
	// PriceChange is the day a new energy price takes effect (zero: none).
	PriceChange calendar.Date
	// EInvoiceShare is the fraction of contracts on e-invoice delivery.
	EInvoiceShare float64
}

// Customer is a customer's name, language and contact e-mail.
type Customer struct {
	Name, Language, Email string
}

// The JSON shapes of the dataset format, written field by field in the order of cli.md.
type (
	address struct {
		Street     string `json:"street"`
		City       string `json:"city"`
		PostalCode string `json:"postal_code"`
		Country    string `json:"country"`
	}
	price struct {
		From  string `json:"from"`
		Price string `json:"price"`
	}
	component struct {
		Code        string            `json:"code"`
		Name        map[string]string `json:"name"`
		Unit        string            `json:"unit"`
		Zone        string            `json:"zone,omitempty"`
		VATCategory string            `json:"vat_category"`
		VATRate     string            `json:"vat_rate"`
		Prices      []price           `json:"prices"`
	}
	plan struct {
		Code       string      `json:"code"`
		Components []component `json:"components"`
	}
	meteringPoint struct {
		Code        string   `json:"code"`
		Address     address  `json:"address"`
		MeterSerial string   `json:"meter_serial"`
		Multiplier  int      `json:"multiplier"`
		Digits      int      `json:"digits"`
		Registers   []string `json:"registers"`
	}
	delivery struct {
		Method     string   `json:"method"`
		Recipients []string `json:"recipients,omitempty"`
		Formats    []string `json:"formats,omitempty"`
	}
	contract struct {
		Number             string          `json:"number"`
		StartDate          string          `json:"start_date"`
		PricePlan          string          `json:"price_plan"`
		PaymentTermDays    int             `json:"payment_term_days"`
		MonthlyEstimateKWh string          `json:"monthly_estimate_kwh"`
		BilledThrough      string          `json:"billed_through,omitempty"`
		Delivery           delivery        `json:"delivery"`
		MeteringPoints     []meteringPoint `json:"metering_points"`
	}
	contact struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
		Role  string `json:"role"`
	}
	customer struct {
		RegistrationNumber string     `json:"registration_number"`
		Name               string     `json:"name"`
		VATNumber          string     `json:"vat_number"`
		Language           string     `json:"language"`
		Address            address    `json:"address"`
		Contacts           []contact  `json:"contacts"`
		Contracts          []contract `json:"contracts"`
	}
	reading struct {
		MeteringPoint string `json:"metering_point"`
		Register      string `json:"register"`
		Date          string `json:"date"`
		Value         string `json:"value"`
		Source        string `json:"source"`
		SubmittedAt   string `json:"submitted_at"`
	}
)

// Supplier is the demo supplier of every generated dataset.
var supplier = map[string]any{
	"name": `AS "Demo Enerģija"`, "registration_number": "40003000000", "vat_number": "LV40003000000",
	"address": address{"Pulkveža Brieža iela 12", "Rīga", "LV-1230", "LV"},
	"iban":    "LV80BANK0000435195001", "bic": "BANKLV2X", "bank": "Demo Banka", "email": "rekini@example.lv",
	"phone": "+37167000000", "website": "https://example.lv",
}

func plans(change calendar.Date) []plan {
	name := func(lv, en string) map[string]string { return map[string]string{"lv": lv, "en": en} }
	energy := []price{{"2024-01-01", "0.145200"}}
	if !change.IsZero() {
		energy = append(energy, price{change.String(), "0.151234"})
	}
	return []plan{{Code: "BIZ-1", Components: []component{
		{"ENERGY", name("Elektroenerģija", "Electricity"), "kWh", "T1", "S", "21", energy},
		{"ENERGY-DAY", name("Elektroenerģija, dienas zona", "Electricity, day zone"), "kWh", "DAY", "S", "21", []price{{"2024-01-01", "0.161000"}}},
		{"ENERGY-NIGHT", name("Elektroenerģija, nakts zona", "Electricity, night zone"), "kWh", "NIGHT", "S", "21", []price{{"2024-01-01", "0.118000"}}},
		{"NETWORK", name("Sadales tīkla pakalpojums", "Distribution network"), "kWh", "", "S", "21", []price{{"2024-01-01", "0.041800"}}},
		{"TAX", name("Elektroenerģijas nodoklis", "Electricity tax"), "kWh", "", "S", "21", []price{{"2024-01-01", "0.001010"}}},
		{"FIXED", name("Pieslēguma maksa", "Connection fee"), "month", "", "S", "21", []price{{"2024-01-01", "12.50"}}},
	}}}
}

// register is a generated register with its running meter value.
type register struct {
	mp, zone   string
	value      int64
	monthly    int64 // typical monthly advance in meter units
	multiplier int
}

// Write streams a dataset to w.
func Write(w io.Writer, cfg Config) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	minMPs := max(cfg.MinMeteringPoints, 1)
	mps := max(cfg.MeteringPoints, minMPs)
	months := max(cfg.Months, 1)
	first := cfg.LastPeriod.AddMonths(-months) // the baseline month
	start := first                             // the contract starts in the baseline month

	put := func(s string) { bw.WriteString(s) }
	enc := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = bw.Write(b)
		return err
	}
	put(`{"version":1,"supplier":`)
	if err := enc(supplier); err != nil {
		return err
	}
	put(`,"calendar":{"extra_holidays":[],"extra_working_days":[]},"price_plans":`)
	if err := enc(plans(cfg.PriceChange)); err != nil {
		return err
	}
	put(`,"customers":[`)
	var regs []register
	for i := range cfg.Contracts {
		cu := customerFor(cfg, i)
		reg := fmt.Sprintf("4%010d", 3000000+i)
		c := customer{RegistrationNumber: reg, Name: cu.Name, VATNumber: "LV" + reg, Language: cu.Language,
			Address:  address{"Brīvības iela " + fmt.Sprint(1+i%200), "Rīga", "LV-1010", "LV"},
			Contacts: []contact{{"Anna Bērziņa", cu.Email, "+37120000000", "invoices"}}}
		k := contract{Number: fmt.Sprintf("L-%06d", i+1), StartDate: start.String(), PricePlan: "BIZ-1",
			PaymentTermDays: []int{10, 15, 17, 20, 25}[i%5], MonthlyEstimateKWh: fmt.Sprint(300 + rng.IntN(3000)),
			Delivery: delivery{Method: billing.Paper}}
		if rng.Float64() < cfg.EInvoiceShare {
			k.Delivery = delivery{Method: billing.EInvoice, Recipients: []string{cu.Email}, Formats: []string{"pdf", "ubl", "csv"}}
		}
		switch {
		case !cfg.BilledThrough.IsZero():
			k.BilledThrough = cfg.BilledThrough.LastOfMonth().String()
		case cfg.LegacyBaseline:
			k.BilledThrough = first.LastOfMonth().String()
		}
		n := minMPs + rng.IntN(mps-minMPs+1)
		for j := range n {
			code := fmt.Sprintf("MP-%07d-%02d", i+1, j+1)
			mult := 1
			if rng.IntN(20) == 0 {
				mult = 40
			}
			zones := []string{"T1"}
			if rng.IntN(3) == 0 {
				zones = []string{"DAY", "NIGHT"}
			}
			k.MeteringPoints = append(k.MeteringPoints, meteringPoint{Code: code,
				Address: address{"Rūpnīcas iela " + fmt.Sprint(1+j), "Ogre", "LV-5001", "LV"}, MeterSerial: fmt.Sprintf("SN%08d", rng.IntN(1e8)),
				Multiplier: mult, Digits: 6, Registers: zones})
			for _, z := range zones {
				monthly := int64(100 + rng.IntN(1500))
				if mult > 1 {
					monthly = max(monthly/int64(mult), 25)
				}
				regs = append(regs, register{mp: code, zone: z, value: int64(rng.IntN(900000)), monthly: monthly, multiplier: mult})
			}
		}
		c.Contracts = []contract{k}
		if i > 0 {
			put(",")
		}
		if err := enc(c); err != nil {
			return err
		}
	}
	put(`],"readings":[`)
	firstReading := true
	for m := first; !m.After(cfg.LastPeriod); m = m.AddMonths(1) {
		if !cfg.SkipPeriod.IsZero() && m.Equal(cfg.SkipPeriod) {
			continue
		}
		date := m.LastOfMonth()
		at := time.Date(m.Year(), m.Month()+1, 1, 10, 0, 0, 0, calendar.Riga).Format(time.RFC3339)
		for i := range regs {
			r := &regs[i]
			if m.After(first) {
				// within ±20% of the register's usual month, so no reading looks implausible
				r.value += r.monthly*8/10 + rng.Int64N(r.monthly*4/10+1)
				r.value %= 1000000
			}
			if !firstReading {
				put(",")
			}
			firstReading = false
			if err := enc(reading{r.mp, r.zone, date.String(), fmt.Sprint(r.value), "import", at}); err != nil {
				return err
			}
		}
	}
	put("]}\n")
	return bw.Flush()
}

func customerFor(cfg Config, i int) Customer {
	if len(cfg.Customers) > 0 {
		return cfg.Customers[i%len(cfg.Customers)]
	}
	return Customer{Name: fmt.Sprintf("SIA Klients %d", i+1), Language: "lv", Email: fmt.Sprintf("rekini%d@example.lv", i+1)}
}
