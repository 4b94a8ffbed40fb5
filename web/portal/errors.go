package portal

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// The texts of billing's message keys (billing.Msg…), "err." + key. Each receives the
// error's Args in the order billing lists them, numbers and dates already formatted for
// the language; %[n]s picks an argument where Latvian needs another order.
var _ = moreTexts(map[string][2]string{
	"err." + billing.MsgNegative: {"Rādījums nevar būt negatīvs.", "The reading must not be negative."},
	"err." + billing.MsgDecimals: {"Rādījumam %s ir vairāk nekā 3 zīmes aiz komata.", "The reading %s has more than 3 decimals."},
	"err." + billing.MsgTooManyDigits: {"%s neietilpst %s ciparu skaitītājā.",
		"%s does not fit a %s-digit register."},
	"err." + billing.MsgOutsideWindow: {"Datums %s neietilpst rādījumu iesniegšanas laikā: rādījumus iesniedz no mēneša %s. datuma līdz nākamā mēneša %s. datumam.",
		"%s is outside every readings window: readings are taken from day %s of a month to day %s of the next."},
	"err." + billing.MsgAfterSubmitted: {"Datums %s ir vēlāks par iesniegšanas dienu %s.", "%s is after the submission date %s."},
	"err." + billing.MsgLegacyBilled: {"Periodam %s rēķinu izrakstīja iepriekšējā sistēma, un tā rādījumu šeit labot nevar.",
		"%s was billed by the previous system and has its reading; it cannot be corrected here."},
	"err." + billing.MsgEstimated: {"Periodam %s rēķins par %s izrakstīts pēc aprēķinātā patēriņa; iesniedziet faktisko rādījumu nākamajā iesniegšanas laikā, un tas izlabos aprēķinu.",
		"%s was billed with an estimate for %s; submit the actual reading in the next window and it corrects the estimate."},
	"err." + billing.MsgExists: {"%s jau ir rādījums %s (%s) periodam %s; lai to labotu, norādiet iemeslu.",
		"%s already has the reading %s of %s for %s; give a reason to correct it."},
	"err." + billing.MsgBilled: {"Periodam %s rēķins jau ir izrakstīts; iesniedziet rādījumu nākamajā iesniegšanas laikā.",
		"%s is already billed; submit the reading in the next window."},
	"err." + billing.MsgRollover: {"%s ir mazāks par pēdējo faktisko rādījumu %s; %s ciparu skaitītāja pārsniegšana (roll-over) šādā apmērā nav ticama.",
		"%s is lower than the last actual reading %s; a roll-over of a %s-digit register would be implausible."},
	"err." + billing.MsgImplausible: {"Patēriņš %s kWh ir vairāk nekā %s× lielāks par pēdējo mēnešu vidējo (%s kWh). Ja rādījums ir pareizs, apstipriniet to.",
		"Consumption %s kWh is more than %s× the average %s kWh of recent months; confirm to accept it."},
	"err." + billing.MsgAboveLater: {"%s ir lielāks par vēlāko rādījumu %s (%s).", "%s is higher than the later reading %s of %s."},
	"err." + billing.MsgNoPoint:    {"Uzskaites punkts %s nav atrasts.", "Metering point %s not found."},
	"err." + billing.MsgNoRegister: {"Uzskaites punktam %s nav zonas %s.", "Metering point %s has no register %s."},
})

// errorMessage is the message of a domain error for a person, in lang: the text of its
// message key with its arguments formatted for lang. An error without a key (none of the
// reading rules) shows its English message.
func errorMessage(lang string, err error) string {
	var e *billing.Error
	if !errors.As(err, &e) {
		return text(lang, "error.internal")
	}
	if t, ok := texts["err."+e.Key]; ok && e.Key != "" {
		format := t[0]
		if lang == billing.English {
			format = t[1]
		}
		args := make([]any, len(e.Args))
		for i, a := range e.Args {
			args[i] = formatArg(lang, a)
		}
		return fmt.Sprintf(format, args...)
	}
	if lang != billing.English {
		return text(lang, "error.invalid") + " (" + e.Message + ")"
	}
	if e.Message == "" {
		return ""
	}
	return strings.ToUpper(e.Message[:1]) + e.Message[1:] + "."
}

// formatArg is a message argument as lang writes it: numbers with its separators, dates
// in its format, anything else as it prints.
func formatArg(lang string, a any) string {
	switch v := a.(type) {
	case decimal.Decimal:
		return formatNumber(lang, v, -1)
	case billing.Date:
		return formatDate(lang, v)
	default:
		return fmt.Sprint(v)
	}
}
