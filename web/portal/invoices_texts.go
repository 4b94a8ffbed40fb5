package portal

// The archive's status filter, its cards at phone width and the ZIP of everything found.
var _ = moreTexts(map[string][2]string{
	"invoices.status":      {"Statuss", "Status"},
	"invoices.status.hint": {"Portālā nav ziņu par maksājumiem: „termiņš pagājis” nozīmē tikai to, ka apmaksas datums ir pagātnē, nevis to, ka rēķins nav apmaksāts.", "The portal knows nothing of payments: “due date passed” means only that the due date is behind us, not that the invoice is unpaid."},
	"invoices.badstatus":   {"Šāda statusa nav; rādīti dokumenti ar jebkuru statusu.", "There is no such status; documents of every status are shown."},
	"invoices.corrects":    {"labo", "corrects"},
	"invoices.nostatus":    {"nav", "none"},
	"invoices.cards":       {"Atrastie dokumenti", "Documents found"},
	"invoices.zipall":      {"Lejupielādēt visus atlasītos ZIP failā", "Download all that match as ZIP"},
	"invoices.zipnote":     {"Vienā ZIP failā ir līdz 100 failiem.", "One ZIP file holds up to 100 files."},
	"invoices.selectzip":   {"Iekļaut ZIP failā", "Include in the ZIP file"},

	"archive.status.open":      {"termiņš nav pagājis", "not yet due"},
	"archive.status.past_due":  {"termiņš pagājis", "due date passed"},
	"archive.status.corrected": {"labots ar kredītrēķinu", "corrected by a credit note"},
	"archive.status.estimated": {"ar aprēķinātiem rādījumiem", "with estimated readings"},
})
