package portal

import "github.com/erekins/erekins/billing"

// texts holds every text of the portal in Latvian and English; a test checks that every key
// a template uses is here with both.
var texts = map[string][2]string{ // key: {lv, en}
	"nav.skip":      {"Pāriet uz saturu", "Skip to content"},
	"nav.label":     {"Portāla sadaļas", "Portal sections"},
	"nav.customer":  {"Uzņēmums", "Company"},
	"nav.switch":    {"Pārslēgt", "Switch"},
	"nav.otherlang": {"English", "Latviski"},
	"nav.signout":   {"Iziet", "Sign out"},
	"nav.overview":  {"Pārskats", "Overview"},
	"nav.invoices":  {"Līgumi un rēķini", "Contracts and invoices"},
	"nav.readings":  {"Rādījumi", "Readings"},
	"nav.contacts":  {"Kontaktinformācija", "Contact information"},

	"role.admin":    {"administrators", "administrator"},
	"role.billing":  {"rēķini", "billing"},
	"role.readings": {"rādījumi", "readings"},
	"role.viewer":   {"skatītājs", "viewer"},

	"error.notfound":  {"Lapa nav atrasta", "Page not found"},
	"error.forbidden": {"Jūsu lomai šī lapa nav pieejama", "Your role does not give access to this page"},
	"error.invalid":   {"Pieprasījums nav derīgs", "The request is not valid"},
	"error.conflict":  {"Dati pa to laiku ir mainījušies. Atveriet lapu no jauna.", "The data has changed meanwhile. Open the page again."},
	"error.csrf":      {"Veidlapas derīgums beidzies. Atveriet lapu no jauna un mēģiniet vēlreiz.", "The form has expired. Open the page again and retry."},
	"error.internal":  {"Radās kļūda. Mēģiniet vēlāk vēlreiz.", "Something went wrong. Please try again later."},
	"error.back":      {"Atgriezties:", "Go back to"},

	"signin.title":    {"Pieslēgties portālam", "Sign in to the portal"},
	"signin.email":    {"E-pasta adrese", "E-mail address"},
	"signin.password": {"Parole", "Password"},
	"signin.submit":   {"Pieslēgties", "Sign in"},
	"signin.failed":   {"Nepareiza e-pasta adrese vai parole.", "The e-mail address or password is incorrect."},
	"signin.limited":  {"Pārāk daudz neveiksmīgu mēģinājumu. Mēģiniet vēlreiz pēc 15 minūtēm.", "Too many failed attempts. Try again in 15 minutes."},

	"overview.title":     {"Pārskats", "Overview"},
	"overview.current":   {"Pēdējais rēķins", "Latest invoice"},
	"overview.download":  {"Lejupielādēt", "Download"},
	"overview.noinvoice": {"Rēķinu vēl nav.", "There are no invoices yet."},
	"overview.due":       {"Iesniedzamie rādījumi", "Readings due"},
	"overview.alldone":   {"Visi šī perioda rādījumi ir saņemti. Paldies!", "Every reading of this period has arrived. Thank you!"},

	"invoice.number":    {"Numurs", "Number"},
	"invoice.type":      {"Veids", "Type"},
	"invoice.period":    {"Periods", "Period"},
	"invoice.issued":    {"Izrakstīts", "Issued"},
	"invoice.due":       {"Apmaksāt līdz", "Due date"},
	"invoice.amount":    {"Summa apmaksai", "Amount due"},
	"invoice.estimated": {"aprēķināts", "estimated"},
	"type.invoice":      {"Rēķins", "Invoice"},
	"type.credit_note":  {"Kredītrēķins", "Credit note"},

	"invoices.title":     {"Līgumi un rēķini", "Contracts and invoices"},
	"invoices.filter":    {"Rēķinu atlase", "Filter invoices"},
	"invoices.contract":  {"Līgums", "Contract"},
	"invoices.all":       {"Visi", "All"},
	"invoices.from":      {"Periods no", "Period from"},
	"invoices.to":        {"Periods līdz", "Period to"},
	"invoices.type":      {"Dokumenta veids", "Document type"},
	"invoices.apply":     {"Atlasīt", "Filter"},
	"invoices.found":     {"Atrasti dokumenti", "Documents found"},
	"invoices.select":    {"Atzīmēt", "Select"},
	"invoices.documents": {"Dokumenti", "Documents"},
	"invoices.zip":       {"Lejupielādēt atzīmētos vienā ZIP failā", "Download the selected as one ZIP file"},
	"invoices.zipbutton": {"Lejupielādēt ZIP", "Download ZIP"},
	"invoices.pages":     {"Lapas", "Pages"},
	"invoices.prev":      {"Iepriekšējā", "Previous"},
	"invoices.next":      {"Nākamā", "Next"},
	"invoices.page":      {"Lapa", "Page"},
	"invoices.none":      {"Atlasei neatbilst neviens dokuments.", "No document matches the filter."},
	"invoices.badperiod": {"Periodu norādiet kā GGGG-MM, piemēram, 2026-03.", "Give periods as YYYY-MM, for example 2026-03."},

	"readings.title":       {"Skaitītāju rādījumi", "Meter readings"},
	"readings.window":      {"Rādījumus šim periodam iesniedz", "Readings for this period are taken"},
	"readings.nextwindow":  {"Nākamie rādījumi jāiesniedz", "The next readings are taken"},
	"readings.point":       {"Uzskaites punkts", "Metering point"},
	"readings.register":    {"Zona", "Register"},
	"readings.address":     {"Adrese", "Address"},
	"readings.serial":      {"Skaitītāja numurs", "Meter serial number"},
	"readings.previous":    {"Iepriekšējais rādījums", "Previous reading"},
	"readings.status":      {"Statuss", "Status"},
	"readings.due":         {"jāiesniedz", "due"},
	"readings.received":    {"saņemts", "received"},
	"readings.submit":      {"Iesniegt rādījumu", "Submit a reading"},
	"readings.date":        {"Rādījuma datums", "Reading date"},
	"readings.value":       {"Rādījums", "Reading"},
	"readings.reason":      {"Labojuma iemesls (ja labojat iesniegtu rādījumu)", "Reason for a correction (when correcting a submitted reading)"},
	"readings.reasonhint":  {"Jaunam rādījumam atstājiet tukšu.", "Leave empty for a new reading."},
	"readings.confirm":     {"Apstiprinu, ka rādījums ir pareizs", "I confirm that the reading is correct"},
	"readings.send":        {"Iesniegt", "Submit"},
	"readings.saved":       {"Rādījums saņemts. Paldies!", "The reading has been received. Thank you!"},
	"readings.history":     {"Rādījumu vēsture", "Reading history"},
	"readings.nohistory":   {"Rādījumu vēl nav.", "No readings yet."},
	"readings.consumption": {"Patēriņš, kWh", "Consumption, kWh"},
	"readings.source":      {"Avots", "Source"},
	"readings.baddate":     {"Norādiet datumu formā GGGG-MM-DD.", "Give the date as YYYY-MM-DD."},
	"readings.badvalue":    {"Rādījumam jābūt skaitlim, piemēram, 12345,6.", "The reading must be a number, for example 12345.6."},
	"readings.longreason":  {"Iemesls ir pārāk garš (līdz 500 zīmēm).", "The reason is too long (500 characters at most)."},

	"zone.T1":    {"Viena tarifa (T1)", "Single rate (T1)"},
	"zone.DAY":   {"Diena", "Day"},
	"zone.NIGHT": {"Nakts", "Night"},

	"source.portal":   {"portāls", "portal"},
	"source.api":      {"API", "API"},
	"source.import":   {"imports", "import"},
	"source.operator": {"operators", "operator"},
	"source.estimate": {"aprēķins", "estimate"},

	"contacts.title":     {"Kontaktinformācija", "Contact information"},
	"contacts.company":   {"Uzņēmums", "Company"},
	"contacts.regno":     {"Reģistrācijas numurs", "Registration number"},
	"contacts.vat":       {"PVN numurs", "VAT number"},
	"contacts.address":   {"Juridiskā adrese", "Legal address"},
	"contacts.people":    {"Kontaktpersonas", "Contact persons"},
	"contacts.person":    {"Kontaktpersona", "Contact person"},
	"contacts.name":      {"Vārds, uzvārds", "Name"},
	"contacts.email":     {"E-pasts", "E-mail"},
	"contacts.phone":     {"Tālrunis", "Phone"},
	"contacts.role":      {"Amats vai loma", "Position or role"},
	"contacts.hint":      {"Lai dzēstu kontaktpersonu, notīriet visus tās laukus.", "To remove a person, clear all of their fields."},
	"contacts.save":      {"Saglabāt", "Save"},
	"contacts.saved":     {"Kontaktinformācija saglabāta.", "The contact information has been saved."},
	"contacts.invalid":   {"Izlabojiet atzīmētos laukus.", "Correct the marked fields."},
	"contacts.history":   {"Izmaiņu vēsture", "History of changes"},
	"contacts.nohistory": {"Izmaiņu vēl nav.", "No changes yet."},
	"contacts.err.name":  {"Norādiet vārdu.", "Give a name."},
	"contacts.err.email": {"Norādiet derīgu e-pasta adresi, piemēram, vards@uznemums.lv.", "Give a valid e-mail address, for example name@company.com."},
	"contacts.err.phone": {"Tālrunim izmantojiet ciparus, atstarpes un +, piemēram, +371 20000000.", "Use digits, spaces and + for the phone, for example +371 20000000."},
	"contacts.err.long":  {"Teksts ir pārāk garš.", "The text is too long."},
	"contacts.err.none":  {"Vajadzīga vismaz viena kontaktpersona.", "At least one contact person is needed."},
}

// text is the text with the key in lang; a missing key shows itself, so tests catch it.
func text(lang, key string) string {
	t, ok := texts[key]
	if !ok {
		return "[" + key + "]"
	}
	if lang == billing.English {
		return t[1]
	}
	return t[0]
}
