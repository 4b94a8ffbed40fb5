package api

import (
	"cmp"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
)

type acceptedJSON struct {
	Index         int      `json:"index"`
	MeteringPoint string   `json:"metering_point"`
	Register      string   `json:"register"`
	Date          string   `json:"date"`
	Value         string   `json:"value"`
	Consumption   *string  `json:"consumption"`
	Rollover      bool     `json:"rollover"`
	Rebill        []string `json:"rebill"`
}

// submitReadings stores a batch of readings, all or nothing, through the rules every
// surface shares (App.AddReadings), once per Idempotency-Key.
func (api *API) submitReadings(w http.ResponseWriter, r *http.Request, c *caller) error {
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 255 || strings.TrimSpace(key) != key {
		return invalid("Idempotency-Key", "send an Idempotency-Key header of 1 to 255 characters without surrounding spaces")
	}
	body, err := readBody(w, r, maxReadingsBody)
	if err != nil {
		return err
	}
	rows, rowErrs, perr := parseReadings(body)
	if perr != nil {
		return perr
	}
	if len(rowErrs) > 0 {
		return rowsError(fmt.Sprintf("%d of %d readings are not valid; nothing was stored", countRows(rowErrs), len(rows)), rowErrs)
	}
	ctx := r.Context()
	db := api.App.DB
	sum := sha256.Sum256(canonical(rows))
	stored, err := db.ClaimKey(ctx, api.Idempotency, c.Token.CustomerID, key, hex.EncodeToString(sum[:]), api.Now())
	switch {
	case errors.Is(err, sqldb.ErrKeyReused):
		return newError(http.StatusUnprocessableEntity, codeKeyReused, "Idempotency-Key", "this key was used with a different body; use a new key for a new batch")
	case errors.Is(err, sqldb.ErrKeyInProgress):
		return newError(http.StatusConflict, codeKeyInProgress, "Idempotency-Key", "a request with this key is still running; retry later")
	case err != nil:
		return err
	case stored != nil:
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, stored.Status, stored.Body)
		return nil
	}
	status, out, saved, err := api.addReadings(r, c, rows, key)
	if err != nil {
		return errors.Join(err, db.ReleaseKey(ctx, c.Token.CustomerID, key))
	}
	if !saved {
		if err := db.SaveResponse(ctx, c.Token.CustomerID, key, sqldb.StoredResponse{Status: status, Body: out}); err != nil {
			return err
		}
	}
	writeJSON(w, status, out)
	return nil
}

// addReadings checks the batch and stores it when every reading passes; it returns the
// response to give and to keep for the key. A stored batch's response is kept in the
// batch's own transaction (saved), so a crash cannot leave readings stored under a key
// whose retry would store them again; a refused batch stored nothing, and its response is
// the caller's to keep. Readings of another customer's metering points are not found, like
// missing ones, and are never passed on.
func (api *API) addReadings(r *http.Request, c *caller, rows []parsedReading, key string) (status int, body []byte, saved bool, err error) {
	ctx := r.Context()
	meters, err := api.App.DB.CustomerMeters(ctx, c.Token.CustomerID)
	if err != nil {
		return 0, nil, false, err
	}
	registers := map[string]map[string]bool{}
	for _, m := range meters {
		registers[m.Code] = map[string]bool{}
		for _, g := range m.Registers {
			registers[m.Code][g] = true
		}
	}
	var errs []rowError
	var subs []billing.Submission
	var index []int // the row of each submission
	now := api.Now()
	for i, row := range rows {
		prefix := "readings[" + strconv.Itoa(i) + "]."
		switch regs, ok := registers[row.Key.MeteringPoint]; {
		case !ok:
			errs = append(errs, rowError{Index: i, Code: billing.ErrNotFound, Field: prefix + "metering_point",
				Message: fmt.Sprintf("metering point %q not found", row.Key.MeteringPoint)})
			continue
		case !regs[row.Key.Register]:
			errs = append(errs, rowError{Index: i, Code: billing.ErrNotFound, Field: prefix + "register",
				Message: fmt.Sprintf("register %q of metering point %q not found", row.Key.Register, row.Key.MeteringPoint)})
			continue
		}
		subs = append(subs, billing.Submission{Key: row.Key, Date: row.Date, Value: row.Value, Source: billing.SourceAPI, By: c.Actor,
			At: now, Confirmed: row.Confirm, Reason: row.Reason})
		index = append(index, i)
	}
	var outcomes []app.ReadingOutcome
	var stored bool
	if len(errs) > 0 {
		outcomes, stored, err = api.App.AddReadings(ctx, subs, false) // for the other rows' errors
	} else {
		outcomes, stored, err = api.App.AddReadingsThen(ctx, subs, func(tx *sql.Tx, outcomes []app.ReadingOutcome) error {
			status, body = http.StatusCreated, acceptedBody(subs, index, outcomes)
			return api.App.DB.SaveResponseIn(ctx, tx, c.Token.CustomerID, key, sqldb.StoredResponse{Status: status, Body: body})
		})
	}
	if err != nil {
		return 0, nil, false, fmt.Errorf("add readings: %w", err)
	}
	for j, o := range outcomes {
		if o.Err == nil {
			continue
		}
		e, known := asAPIError(o.Err)
		if !known {
			return 0, nil, false, fmt.Errorf("add readings: %w", o.Err)
		}
		errs = append(errs, rowError{Index: index[j], Code: e.Code, Field: "readings[" + strconv.Itoa(index[j]) + "]." + fieldOr(e.Field, "value"),
			Message: e.Message})
	}
	if stored {
		return status, body, true, nil
	}
	sortRows(errs)
	e := rowsError(fmt.Sprintf("%d of %d readings were refused; nothing was stored", countRows(errs), len(rows)), errs)
	return e.Status, errorJSON(e), false, nil
}

// acceptedBody is the answer to a stored batch: every reading with its consumption and the
// billed periods it reopens.
func acceptedBody(subs []billing.Submission, index []int, outcomes []app.ReadingOutcome) []byte {
	out := struct {
		Stored   int            `json:"stored"`
		Readings []acceptedJSON `json:"readings"`
	}{Stored: len(outcomes)}
	for j, o := range outcomes {
		a := acceptedJSON{Index: index[j], MeteringPoint: subs[j].Key.MeteringPoint, Register: subs[j].Key.Register, Date: subs[j].Date.String(),
			Value: subs[j].Value.String(), Rollover: o.Accepted.Rollover, Rebill: []string{}}
		if cons := o.Accepted.Consumption; cons != nil {
			s := cons.StringFixed(3)
			a.Consumption = &s
		}
		for _, m := range o.Accepted.Rebill {
			a.Rebill = append(a.Rebill, m.String()[:7])
		}
		out.Readings = append(out.Readings, a)
	}
	return marshal(out)
}

// countRows is how many rows have at least one error.
func countRows(errs []rowError) int {
	seen := map[int]bool{}
	for _, e := range errs {
		seen[e.Index] = true
	}
	return len(seen)
}

// sortRows orders row errors by row, keeping each row's errors in the order found.
func sortRows(errs []rowError) {
	slices.SortStableFunc(errs, func(a, b rowError) int { return cmp.Compare(a.Index, b.Index) })
}
