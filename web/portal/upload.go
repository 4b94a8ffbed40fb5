package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/erekins/erekins/billing"
)

// Readings from a CSV file, in two steps. The upload shows a preview: every row with its
// previous reading, consumption and its own error, from app.AddReadings run as a preview
// (nothing stored). "Submit all" posts the same rows back from a hidden field and runs
// AddReadings again, all or nothing: the preview is never trusted. The hidden rows carry a
// MAC keyed with the session's CSRF token and bound to the customer, so only what this
// session previewed for this customer is committed; every field is parsed and every rule
// checked again all the same. Rows of metering points the customer does not have are "not
// found", exactly like codes that exist nowhere, and never reach the store.

// maxUploadBody is the most a file upload request may carry: the file and the form fields.
const maxUploadBody = maxUploadBytes + 64<<10

// limitUpload caps the size of an upload request before the CSRF check reads it, and says
// so on a page when the file is too large.
func (p *Portal) limitUpload(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
		var tooLarge *http.MaxBytesError
		if err := r.ParseMultipartForm(1 << 20); errors.As(err, &tooLarge) {
			rq, err := p.load(r)
			if err != nil {
				rq = &request{Lang: billing.Latvian}
			}
			p.render(w, r, rq, http.StatusRequestEntityTooLarge, "error.html",
				map[string]any{"Message": "upload.err.toolarge", "Status": http.StatusRequestEntityTooLarge})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// uploadData is the upload page: the form, or the preview of a file's rows.
type uploadData struct {
	MaxRows int
	MaxMiB  int
	Error   string // a problem with the file as a whole, in the person's language
	Rows    []uploadRow
	Skipped int  // rows without a value
	Bad     int  // rows with an error
	Confirm int  // rows whose only problem is an implausible consumption
	CanSend bool // the rows can be submitted: none has another error
	Encoded string
	MAC     string
}

func (p *Portal) uploadPage(w http.ResponseWriter, r *http.Request, rq *request, status int, d uploadData) {
	d.MaxRows, d.MaxMiB = maxUploadRows, maxUploadBytes>>20
	p.render(w, r, rq, status, "upload.html", d)
}

func (p *Portal) uploadForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	p.uploadPage(w, r, rq, http.StatusOK, uploadData{})
	return nil
}

// uploadPreview reads the file and shows what each row would become.
func (p *Portal) uploadPreview(w http.ResponseWriter, r *http.Request, rq *request) error {
	fail := func(e errUpload) error {
		msg := text(rq.Lang, e.key)
		if e.arg != nil {
			msg = fmt.Sprintf(msg, e.arg)
		}
		p.uploadPage(w, r, rq, http.StatusUnprocessableEntity, uploadData{Error: msg})
		return nil
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return fail(errUpload{key: "upload.err.nofile"})
	}
	defer f.Close()
	if hdr.Size > maxUploadBytes {
		return fail(errUpload{key: "upload.err.toolarge"})
	}
	data, err := io.ReadAll(io.LimitReader(f, maxUploadBytes+1))
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	if len(data) > maxUploadBytes {
		return fail(errUpload{key: "upload.err.toolarge"})
	}
	rows, err := parseReadingsCSV(data)
	var ue errUpload
	if errors.As(err, &ue) {
		return fail(ue)
	}
	if err != nil {
		return err
	}
	d := uploadData{Rows: rows}
	if _, err := p.checkRows(r, rq, &d, false); err != nil {
		return err
	}
	status := http.StatusOK
	if d.Bad > 0 {
		status = http.StatusUnprocessableEntity
	}
	p.uploadPage(w, r, rq, status, d)
	return nil
}

// uploadCommit stores the previewed rows, all or nothing; when any is invalid now, nothing
// is stored and the preview shows again with the errors.
func (p *Portal) uploadCommit(w http.ResponseWriter, r *http.Request, rq *request) error {
	encoded := r.PostFormValue("rows")
	rows, ok := decodeRows(encoded)
	if !ok || !hmac.Equal([]byte(r.PostFormValue("mac")), []byte(p.rowsMAC(rq, encoded))) {
		p.uploadPage(w, r, rq, http.StatusUnprocessableEntity, uploadData{Error: text(rq.Lang, "upload.err.changed")})
		return nil
	}
	confirmed := r.PostForm["confirm"]
	for i := range rows {
		if slices.Contains(confirmed, strconv.Itoa(rows[i].Line)) {
			rows[i].Confirm = true
		}
	}
	d := uploadData{Rows: rows}
	stored, err := p.checkRows(r, rq, &d, true)
	if err != nil {
		return err
	}
	if !stored {
		p.uploadPage(w, r, rq, http.StatusUnprocessableEntity, d)
		return nil
	}
	http.Redirect(w, r, "/readings?uploaded="+strconv.Itoa(len(rows)), http.StatusSeeOther)
	return nil
}

// checkRows runs the rows through app.AddReadings, storing them when commit is set and
// every row is valid, and fills in each row's outcome and the summary of d.
func (p *Portal) checkRows(r *http.Request, rq *request, d *uploadData, commit bool) (stored bool, err error) {
	ctx := r.Context()
	meters, err := p.db().CustomerMeters(ctx, rq.Current.CustomerID)
	if err != nil {
		return false, err
	}
	registers := map[string][]string{}
	var codes []string // of the rows' metering points
	seen := map[string]bool{}
	for _, m := range meters {
		registers[m.Code] = m.Registers
	}
	var subs []billing.Submission
	var index []int // of the row of each submission
	now := p.Now()
	for i := range d.Rows {
		row := &d.Rows[i]
		regs, mine := registers[row.Point]
		key := billing.RegisterKey{MeteringPoint: row.Point, Register: row.Register}
		switch {
		case row.Problem != "":
			row.Error = text(rq.Lang, row.Problem)
			if row.Problem == "upload.err.columns" {
				row.Error = fmt.Sprintf(row.Error, row.ProblemArg)
			}
		case !mine || !slices.Contains(regs, row.Register):
			row.Error = errorMessage(rq.Lang, billing.UnknownRegister(key, mine))
		default:
			if !seen[row.Point] {
				seen[row.Point] = true
				codes = append(codes, row.Point)
			}
			subs = append(subs, billing.Submission{Key: key, Date: row.Date, Value: row.Value, Source: billing.SourcePortal,
				By: rq.User.Email, At: now, Confirmed: row.Confirm, Reason: row.Reason})
			index = append(index, i)
		}
	}
	clean := len(subs) == len(d.Rows)
	out, stored, err := p.App.AddReadings(ctx, subs, commit && clean)
	if err != nil {
		return false, err
	}
	states, err := p.db().RegisterStates(ctx, codes)
	if err != nil {
		return false, err
	}
	rules := p.App.Config.Rules
	for j, o := range out {
		row := &d.Rows[index[j]]
		if st := states[subs[j].Key]; st != nil {
			row.Previous = previousReading(rules, st.History, row.Date)
			if o.Err == nil && !stored {
				h := st.History
				h.Readings = slices.DeleteFunc(h.Readings, func(r billing.Reading) bool { return r.ID == o.Accepted.Reading.Supersedes })
				h.Add(o.Accepted.Reading)
			}
		}
		row.Consumption, row.Rollover = o.Accepted.Consumption, o.Accepted.Rollover
		if o.Err != nil {
			row.Error = errorMessage(rq.Lang, o.Err)
			row.NeedsConfirm = billing.ErrorCode(o.Err) == billing.ErrNeedsConfirm
		}
	}
	for _, row := range d.Rows {
		switch {
		case row.NeedsConfirm:
			d.Confirm++
		case row.Error != "":
			d.Bad++
		}
	}
	d.CanSend = !stored && d.Bad == 0
	if d.CanSend {
		d.Encoded = encodeRows(d.Rows)
		d.MAC = p.rowsMAC(rq, d.Encoded)
	}
	return stored, nil
}

// previousReading is the reading a reading dated d counts its consumption from: the last
// one before its window (before d when d is in none).
func previousReading(rules billing.Rules, h *billing.History, d billing.Date) *billing.Reading {
	before := d
	if w, ok := rules.WindowFor(d); ok {
		before = w.Open
	}
	prev, _, ok := h.Before(before)
	if !ok {
		return nil
	}
	return &prev
}

// rowsMAC binds the rows of a preview to the session and the customer.
func (p *Portal) rowsMAC(rq *request, encoded string) string {
	m := hmac.New(sha256.New, []byte(rq.Session.CSRF))
	fmt.Fprintf(m, "readings-upload\x00%d\x00%s", rq.Current.CustomerID, encoded)
	return hex.EncodeToString(m.Sum(nil))
}

// uploadTemplate is a CSV file to fill in: a header and a line for each register of the
// customer, dated today while a readings window is open. It opens in Excel as is: UTF-8
// with a byte order mark, ";" between columns.
func (p *Portal) uploadTemplate(w http.ResponseWriter, r *http.Request, rq *request) error {
	st, err := p.readingsState(r, rq.Current.CustomerID)
	if err != nil {
		return err
	}
	date := ""
	if st.Open {
		date = formatDate(billing.Latvian, st.Today)
		if rq.Lang == billing.English {
			date = st.Today.String()
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="readings.csv"`)
	h.Set("Cache-Control", "no-store")
	io.WriteString(w, "\xef\xbb\xbf")
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	cw.Write([]string{text(rq.Lang, "upload.col.point"), text(rq.Lang, "upload.col.register"), text(rq.Lang, "upload.col.date"),
		text(rq.Lang, "upload.col.value"), text(rq.Lang, "upload.col.confirm"), text(rq.Lang, "upload.col.reason")})
	for _, row := range st.Rows {
		cw.Write([]string{row.Meter.Code, row.Register, date, "", "", ""})
	}
	cw.Flush()
	return cw.Error()
}

var _ = moreTexts(map[string][2]string{
	"upload.link":           {"Iesniegt rādījumus no CSV faila", "Submit readings from a CSV file"},
	"upload.title":          {"Rādījumi no CSV faila", "Readings from a CSV file"},
	"upload.intro":          {"Iesniedziet daudzu skaitītāju rādījumus ar vienu failu. Vispirms redzēsiet katras rindas pārbaudes rezultātu; rādījumi tiek saglabāti tikai tad, kad visas rindas ir derīgas un nospiežat „Iesniegt visus”.", "Submit the readings of many meters in one file. First you see the check of every row; the readings are stored only when every row is valid and you press “Submit all”."},
	"upload.format":         {"Faila formāts", "File format"},
	"upload.formatintro":    {"Katrā rindā viens rādījums, kolonnas atdala ar semikolu (;) vai komatu (,). Pirmā rinda var būt virsraksti. Fails UTF-8 kodējumā, līdz %d MiB un %d rindām.", "One reading a line, columns separated by a semicolon (;) or a comma (,). The first line may be headings. The file in UTF-8, up to %d MiB and %d lines."},
	"upload.col.point":      {"uzskaites_punkts", "metering_point"},
	"upload.col.register":   {"zona", "register"},
	"upload.col.date":       {"datums", "date"},
	"upload.col.value":      {"rādījums", "value"},
	"upload.col.confirm":    {"apstiprināt", "confirm"},
	"upload.col.reason":     {"iemesls", "reason"},
	"upload.doc.point":      {"uzskaites punkta kods, piemēram, MP-000123", "the metering point's code, e.g. MP-000123"},
	"upload.doc.register":   {"zona: T1 (viena tarifa), DAY vai NIGHT", "the register: T1 (single rate), DAY or NIGHT"},
	"upload.doc.date":       {"rādījuma datums: 27.11.2026 vai 2026-11-27", "the reading's date: 27.11.2026 or 2026-11-27"},
	"upload.doc.value":      {"rādījums: 12 345,6 vai 12345.6 (ja atdalītājs ir komats, skaitli ar komatu liek pēdiņās)", "the reading: 12 345,6 or 12345.6 (with a comma separator, quote a number that has a comma)"},
	"upload.doc.confirm":    {"nav obligāts: „jā”, ja patēriņš neierasti liels, bet rādījums ir pareizs", "optional: “yes” when the consumption is unusually high but the reading is right"},
	"upload.doc.reason":     {"nav obligāts: iemesls, ja labojat jau iesniegtu rādījumu", "optional: the reason when you correct a reading already submitted"},
	"upload.doc.skip":       {"Rindas bez rādījuma tiek izlaistas, tāpēc veidnē var atstāt arī tos skaitītājus, kuru rādījumus neiesniedzat.", "Lines without a value are skipped, so the template may keep the meters you do not submit."},
	"upload.template":       {"Lejupielādēt veidni ar jūsu skaitītājiem (CSV)", "Download a template with your meters (CSV)"},
	"upload.file":           {"CSV fails", "CSV file"},
	"upload.check":          {"Pārbaudīt", "Check"},
	"upload.preview":        {"Pārbaudes rezultāts", "Check result"},
	"upload.line":           {"Rinda", "Line"},
	"upload.result":         {"Rezultāts", "Result"},
	"upload.ok":             {"derīgs", "valid"},
	"upload.rollover":       {"skaitītājs pārgājis caur nulli", "the register rolled over"},
	"upload.confirmrow":     {"Apstiprinu, ka rādījums ir pareizs", "I confirm that the reading is correct"},
	"upload.summary":        {"Rindas failā:", "Lines in the file:"},
	"upload.summarybad":     {"ar kļūdām:", "with errors:"},
	"upload.summaryconfirm": {"jāapstiprina:", "to confirm:"},
	"upload.allok":          {"Visas rindas ir derīgas. Nekas vēl nav saglabāts.", "Every line is valid. Nothing is stored yet."},
	"upload.fix":            {"Izlabojiet kļūdas failā un augšupielādējiet to vēlreiz. Nekas nav saglabāts.", "Correct the errors in the file and upload it again. Nothing has been stored."},
	"upload.confirmhint":    {"Dažiem rādījumiem patēriņš ir neierasti liels. Ja rādījumi ir pareizi, apstipriniet tos un iesniedziet visus.", "Some readings have an unusually high consumption. If they are right, confirm them and submit all."},
	"upload.send":           {"Iesniegt visus", "Submit all"},
	"upload.again":          {"Augšupielādēt citu failu", "Upload another file"},
	"upload.stored":         {"Saņemti rādījumi no faila:", "Readings received from the file:"},
	"upload.err.nofile":     {"Izvēlieties CSV failu.", "Choose a CSV file."},
	"upload.err.toolarge":   {"Fails ir pārāk liels: ne vairāk kā 2 MiB un 5000 rindu.", "The file is too large: 2 MiB and 5,000 lines at most."},
	"upload.err.encoding":   {"Fails nav UTF-8 kodējumā. Excel to saglabā ar „CSV UTF-8”.", "The file is not in UTF-8. In Excel, save it as “CSV UTF-8”."},
	"upload.err.empty":      {"Failā nav neviena rādījuma.", "The file holds no readings."},
	"upload.err.csv":        {"Failu nevar nolasīt kā CSV (rinda %d): pārbaudiet pēdiņas.", "The file cannot be read as CSV (line %d): check the quotes."},
	"upload.err.changed":    {"Pārbaudītie rādījumi vairs nav pieejami. Augšupielādējiet failu vēlreiz.", "The checked readings are no longer available. Upload the file again."},
	"upload.err.columns":    {"Rindā jābūt no 4 līdz 6 kolonnām, ir %d.", "A line needs 4 to 6 columns; this one has %d."},
	"upload.err.point":      {"Norādiet uzskaites punktu.", "Give the metering point."},
	"upload.err.register":   {"Norādiet zonu.", "Give the register."},
	"upload.err.date":       {"Datums: norādiet 27.11.2026 vai 2026-11-27.", "Date: give 27.11.2026 or 2026-11-27."},
	"upload.err.value":      {"Rādījums: norādiet skaitli, piemēram, 12 345,6 vai 12345.6.", "Value: give a number, e.g. 12 345,6 or 12345.6."},
	"upload.err.confirm":    {"Apstiprinājums: norādiet „jā” vai atstājiet tukšu.", "Confirm: give “yes” or leave it empty."},
})
