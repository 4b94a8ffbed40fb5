package api

import (
	"net/http"
	"time"

	"github.com/erekins/erekins/billing"
)

type meterJSON struct {
	Contract      string          `json:"contract"`
	MeteringPoint string          `json:"metering_point"`
	Address       billing.Address `json:"address"`
	MeterSerial   string          `json:"meter_serial"`
	Multiplier    int             `json:"multiplier"`
	Digits        int             `json:"digits"`
	Registers     []registerJSON  `json:"registers"`
}

type registerJSON struct {
	Register    string       `json:"register"`
	LastReading *readingJSON `json:"last_reading"`
}

type readingJSON struct {
	Date        string `json:"date"`
	Value       string `json:"value"`
	Source      string `json:"source"`
	SubmittedAt string `json:"submitted_at"`
}

// meters lists the customer's metering points with their registers and each register's
// last reading (an estimate included, with its source).
func (api *API) meters(w http.ResponseWriter, r *http.Request, c *caller) error {
	ms, err := api.App.DB.APIMeters(r.Context(), c.Token.CustomerID)
	if err != nil {
		return err
	}
	out := struct {
		Meters []meterJSON `json:"meters"`
	}{Meters: []meterJSON{}}
	for _, m := range ms {
		mj := meterJSON{Contract: m.Contract, MeteringPoint: m.Code, Address: m.Address, MeterSerial: m.Serial, Multiplier: m.Multiplier,
			Digits: m.Digits, Registers: []registerJSON{}}
		for _, g := range m.Registers {
			rj := registerJSON{Register: g.Zone}
			if l := g.Last; l != nil {
				rj.LastReading = &readingJSON{Date: l.Date.String(), Value: l.Value.StringFixed(3), Source: l.Source,
					SubmittedAt: l.SubmittedAt.UTC().Format(time.RFC3339)}
			}
			mj.Registers = append(mj.Registers, rj)
		}
		out.Meters = append(out.Meters, mj)
	}
	writeJSON(w, http.StatusOK, marshal(out))
	return nil
}
