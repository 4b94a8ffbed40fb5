package ubl

import (
	"strconv"

	"github.com/erekins/erekins/billing"
)

// texts are the few sentences a UBL document carries, in the customer's language.
type texts struct {
	estimatedDoc   string
	estimatedLine  string
	corrects       string // + number + " (" + date + ")."
	negative       string // + start + "–" + end + negativeEnd
	negativeEnd    string
	termsInvoice   func(days int, due string) string
	termsCredit    func(days int, due string) string
	meteringPoint  string
	register       string
	registerInline string
	previous       string
	current        string
	multiplier     string
	pdfDescription string
}

var latvian = texts{
	estimatedDoc:  "Dokumentā iekļauts aprēķināts patēriņš; to precizēs pēc faktiskā skaitītāja rādījuma.",
	estimatedLine: "Aprēķināts patēriņš (rādījums nav iesniegts).",
	corrects:      "Koriģē rēķinu ",
	negative:      "Kredītrēķins par periodu ",
	negativeEnd:   ": perioda summa ir negatīva, jo ieskaitīts iepriekš pārāk augstu aprēķinātais patēriņš.",
	termsInvoice: func(days int, due string) string {
		return "Apmaksas termiņš " + strconv.Itoa(days) + " dienas, apmaksāt līdz " + due + "."
	},
	termsCredit: func(days int, due string) string {
		return "Termiņš " + strconv.Itoa(days) + " dienas: kredītrēķina summu atmaksā vai ieskaita līdz " + due + "."
	},
	meteringPoint:  "Uzskaites punkts",
	register:       "Reģistrs",
	registerInline: "reģistrs",
	previous:       "Iepriekšējais rādījums",
	current:        "Pašreizējais rādījums",
	multiplier:     "Reizinātājs",
	pdfDescription: "Rēķins PDF formātā",
}

var english = texts{
	estimatedDoc:  "This document includes estimated consumption; it will be settled against the actual meter reading.",
	estimatedLine: "Estimated consumption (no reading submitted).",
	corrects:      "Corrects invoice ",
	negative:      "Credit note for the period ",
	negativeEnd:   ": the period's amount is negative because an earlier over-estimate is credited.",
	termsInvoice: func(days int, due string) string {
		return "Payment term " + strconv.Itoa(days) + " days, pay by " + due + "."
	},
	termsCredit: func(days int, due string) string {
		return "Term " + strconv.Itoa(days) + " days: the credited amount is refunded or set off by " + due + "."
	},
	meteringPoint:  "Metering point",
	register:       "Register",
	registerInline: "register",
	previous:       "Previous reading",
	current:        "Current reading",
	multiplier:     "Multiplier",
	pdfDescription: "Invoice as PDF",
}

func textsFor(lang string) *texts {
	if lang == billing.English {
		return &english
	}
	return &latvian
}
