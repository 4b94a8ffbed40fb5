package dataset

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/erekins/erekins/billing"
)

// Parse reads a dataset: strict JSON of version 1 (see the package comment for what it
// checks). It returns a *SyntaxError for JSON that cannot be read, an Errors listing every
// problem of shape otherwise; use Load to get the rule problems in the same list.
func Parse(r io.Reader) (*Dataset, error) {
	ds, errs, err := parse(r)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, errs
	}
	ds.Readings, ds.ReadingSet = ds.ReadingSet.All(), nil
	return ds, nil
}

// parse returns the dataset as far as it could be read along with the problems of shape,
// or an error when there is no dataset to speak of (a syntax error, another version). It
// reads r in one pass: the customers and the readings, which make up nearly all of a large
// file, are read one record at a time and the readings are kept in a ReadingSet.
func parse(r io.Reader) (*Dataset, Errors, error) {
	p := &parser{lx: newLexer(r), streamed: map[*node]*section{}}
	root, err := p.document()
	if err != nil {
		return nil, nil, err
	}
	var top reader
	o := top.object(root, "")
	if o == nil {
		return nil, nil, Errors{{Message: "a dataset is a JSON object with \"version\": 1; the file holds " + root.kind.String()}}
	}
	ds := &Dataset{Version: Version}
	if v, ok := o.integer("version", false); !ok {
		if !o.has("version") {
			top.fail("version", "required: this program reads dataset version %d", Version)
		}
	} else if v != Version {
		// Another version has another shape: nothing else can be read sensibly.
		return nil, nil, Errors{{Field: "version", Message: fmt.Sprintf("unsupported version %d: this program reads dataset version %d", v, Version)}}
	}

	var errs Errors
	record := func(label string, r *reader) {
		for _, e := range r.errs {
			e.Record = label
			errs = append(errs, e)
		}
	}
	if n := o.get("supplier"); n != nil {
		var r reader
		ds.Supplier = readSupplier(&r, n)
		record("supplier", &r)
	}
	if n := o.get("calendar"); n != nil {
		var r reader
		ds.Calendar = readCalendar(&r, n)
		record("calendar", &r)
	}
	for i, n := range top.array(o.get("price_plans"), "price_plans") {
		var r reader
		p := readPricePlan(&r, n)
		ds.PricePlans = append(ds.PricePlans, p)
		record(planLabel(i, p), &r)
	}
	n := o.get("customers")
	if sec := p.streamed[n]; sec != nil {
		ds.Customers = sec.customers
		errs = append(errs, sec.errs...)
	}
	for i, n := range top.array(n, "customers") {
		var r reader
		c := readCustomer(&r, n)
		ds.Customers = append(ds.Customers, c)
		record(customerLabel(i, c), &r)
	}
	n = o.get("readings")
	ds.ReadingSet = newReadingSet()
	if sec := p.streamed[n]; sec != nil {
		ds.ReadingSet = sec.readings
		errs = append(errs, sec.errs...)
	}
	for i, n := range top.array(n, "readings") {
		var r reader
		rd := readReading(&r, n)
		rd.Index = i
		ds.ReadingSet.addWhole(rd)
		record(readingLabel(i, rd), &r)
	}
	o.close()
	errs = append(top.errs, errs...)
	errs.sort()
	return ds, errs, nil
}

func readAddress(o *object) billing.Address {
	if o == nil {
		return billing.Address{}
	}
	defer o.close()
	return billing.Address{
		Street:     o.str("street"),
		City:       o.str("city"),
		PostalCode: o.str("postal_code"),
		Country:    o.str("country"),
	}
}

func readSupplier(r *reader, n *node) *billing.Supplier {
	o := r.object(n, "")
	if o == nil {
		return &billing.Supplier{}
	}
	defer o.close()
	return &billing.Supplier{
		Name:               o.str("name"),
		RegistrationNumber: o.str("registration_number"),
		VATNumber:          o.str("vat_number"),
		Address:            readAddress(r.object(o.get("address"), "address")),
		IBAN:               o.str("iban"),
		BIC:                o.str("bic"),
		Bank:               o.str("bank"),
		Email:              o.str("email"),
		Phone:              o.str("phone"),
		Website:            o.str("website"),
		PeppolID:           o.str("peppol_id"),
	}
}

func readCalendar(r *reader, n *node) *billing.Calendar {
	o := r.object(n, "")
	if o == nil {
		return &billing.Calendar{}
	}
	defer o.close()
	return &billing.Calendar{
		ExtraHolidays:    o.dates("extra_holidays"),
		ExtraWorkingDays: o.dates("extra_working_days"),
	}
}

func readPricePlan(r *reader, n *node) billing.PricePlan {
	o := r.object(n, "")
	if o == nil {
		return billing.PricePlan{}
	}
	defer o.close()
	p := billing.PricePlan{Code: o.str("code")}
	for i, cn := range r.array(o.get("components"), "components") {
		p.Components = append(p.Components, readComponent(r, cn, index("components", i)))
	}
	return p
}

func readComponent(r *reader, n *node, path string) billing.Component {
	o := r.object(n, path)
	if o == nil {
		return billing.Component{}
	}
	defer o.close()
	c := billing.Component{
		Code:        o.str("code"),
		Unit:        o.str("unit"),
		Zone:        o.str("zone"),
		VATCategory: o.str("vat_category"),
	}
	c.VATRate, _ = o.amount("vat_rate", true)
	if names := r.object(o.get("name"), o.field("name")); names != nil {
		c.Name = make(map[string]string, len(names.n.keys))
		for _, lang := range names.n.keys {
			if s := names.str(lang); s != "" {
				c.Name[lang] = s
			}
		}
		names.close()
	}
	for i, pn := range r.array(o.get("prices"), o.field("prices")) {
		po := r.object(pn, index(o.field("prices"), i))
		if po == nil {
			c.Prices = append(c.Prices, billing.Price{})
			continue
		}
		var pr billing.Price
		pr.From = po.date("from")
		pr.Price, _ = po.amount("price", true)
		po.close()
		c.Prices = append(c.Prices, pr)
	}
	return c
}

func readContact(o *object) billing.Contact {
	defer o.close()
	return billing.Contact{
		Name:  o.str("name"),
		Email: o.str("email"),
		Phone: o.str("phone"),
		Role:  o.str("role"),
	}
}

func readCustomer(r *reader, n *node) Customer {
	o := r.object(n, "")
	if o == nil {
		return Customer{}
	}
	defer o.close()
	var c Customer
	c.RegistrationNumber = o.str("registration_number")
	c.Name = o.str("name")
	c.VATNumber = o.str("vat_number")
	c.Language = o.str("language")
	if !o.has("language") {
		c.Language = billing.Latvian
	}
	c.Address = readAddress(r.object(o.get("address"), "address"))
	if a := r.object(o.get("postal_address"), "postal_address"); a != nil {
		pa := readAddress(a)
		c.PostalAddress = &pa
	}
	c.PeppolID = o.str("peppol_id")
	for i, cn := range r.array(o.get("contacts"), "contacts") {
		if co := r.object(cn, index("contacts", i)); co != nil {
			c.Contacts = append(c.Contacts, readContact(co))
		} else {
			c.Contacts = append(c.Contacts, billing.Contact{})
		}
	}
	for i, un := range r.array(o.get("users"), "users") {
		var u User
		if uo := r.object(un, index("users", i)); uo != nil {
			u = User{Email: uo.str("email"), Name: uo.str("name"), Role: uo.str("role"), Password: uo.str("password")}
			uo.close()
		}
		c.Users = append(c.Users, u)
	}
	for i, cn := range r.array(o.get("contracts"), "contracts") {
		c.Contracts = append(c.Contracts, readContract(r, cn, index("contracts", i)))
	}
	return c
}

func readContract(r *reader, n *node, path string) billing.Contract {
	o := r.object(n, path)
	if o == nil {
		return billing.Contract{}
	}
	defer o.close()
	c := billing.Contract{
		Number:        o.str("number"),
		Start:         o.date("start_date"),
		End:           o.date("end_date"),
		PricePlan:     o.str("price_plan"),
		BilledThrough: o.date("billed_through"),
	}
	c.PaymentTermDays, _ = o.integer("payment_term_days", true)
	c.MonthlyEstimateKWh, _ = o.amount("monthly_estimate_kwh", false)
	if d := r.object(o.get("delivery"), o.field("delivery")); d != nil {
		c.Delivery = billing.DeliverySettings{
			Method:     d.str("method"),
			Recipients: d.strings("recipients"),
			Formats:    d.strings("formats"),
		}
		d.close()
	}
	// PDF is always delivered (product.md): the file may leave it out.
	if !slices.Contains(c.Delivery.Formats, billing.FormatPDF) {
		c.Delivery.Formats = slices.Insert(c.Delivery.Formats, 0, billing.FormatPDF)
	}
	for i, mn := range r.array(o.get("metering_points"), o.field("metering_points")) {
		c.MeteringPoints = append(c.MeteringPoints, readMeteringPoint(r, mn, index(o.field("metering_points"), i)))
	}
	return c
}

func readMeteringPoint(r *reader, n *node, path string) billing.MeteringPoint {
	o := r.object(n, path)
	if o == nil {
		return billing.MeteringPoint{}
	}
	defer o.close()
	mp := billing.MeteringPoint{
		Code:        o.str("code"),
		Address:     readAddress(r.object(o.get("address"), o.field("address"))),
		MeterSerial: o.str("meter_serial"),
		Registers:   o.strings("registers"),
	}
	mp.Multiplier, _ = o.integer("multiplier", true)
	mp.Digits, _ = o.integer("digits", true)
	return mp
}

func readReading(r *reader, n *node) Reading {
	o := r.object(n, "")
	if o == nil {
		return Reading{}
	}
	defer o.close()
	var rd Reading
	rd.MeteringPoint = o.str("metering_point")
	rd.Register = o.str("register")
	rd.Date = o.date("date")
	rd.Value, _ = o.amount("value", true)
	rd.Source = o.str("source")
	if !o.has("source") {
		rd.Source = billing.SourceImport
	}
	rd.SubmittedBy = o.str("submitted_by")
	rd.SubmittedAt = o.instant("submitted_at")
	rd.Confirmed = o.bool("confirmed")
	return rd
}

// Record labels: the array and index, and the record's natural key when it has one.

func planLabel(i int, p billing.PricePlan) string {
	return label("price_plans", i, p.Code)
}

func customerLabel(i int, c Customer) string {
	key := c.RegistrationNumber
	if key == "" {
		key = c.Name
	}
	return label("customers", i, key)
}

func readingLabel(i int, r Reading) string {
	key := r.MeteringPoint
	if r.Register != "" {
		key += "/" + r.Register
	}
	if !r.Date.IsZero() {
		key = strings.TrimSpace(key + " " + r.Date.String())
	}
	return label("readings", i, key)
}

func label(array string, i int, key string) string {
	l := array + "[" + strconv.Itoa(i) + "]"
	if strings.TrimSpace(key) == "" {
		return l
	}
	if len(key) > 64 || strings.IndexFunc(key, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		key = strconv.Quote(clip(key))
	}
	return l + " (" + key + ")"
}
