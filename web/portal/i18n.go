package portal

import (
	"fmt"

	"github.com/erekins/erekins/billing"
)

// texts holds every text of the portal in Latvian and English; a test checks that every key
// a template uses is here with both. Sections with many texts keep them in their own file
// and add them with moreTexts.
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
	"nav.einvoice":  {"E-rēķins", "E-invoice"},
	"nav.users":     {"Lietotāji", "Users"},

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
	"invoices.export":    {"Visi atlasītie vienā failā:", "All that match the filter in one file:"},
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
	"method.paper":       {"papīra rēķins pa pastu", "paper invoice by post"},
	"method.e-invoice":   {"e-rēķins e-pastā", "e-invoice by e-mail"},
	"format.pdf":         {"PDF", "PDF"},
	"format.ubl":         {"UBL XML", "UBL XML"},
	"format.csv":         {"CSV", "CSV"},

	"einvoice.title":           {"E-rēķins", "E-invoice"},
	"einvoice.benefit.title":   {"Ilgāks apmaksas termiņš", "A longer payment term"},
	"einvoice.benefit":         {"Saņemot rēķinus e-pastā, apmaksas termiņš ir par %d dienām garāks, bet ne ilgāks par %d dienām; garāks līguma termiņš netiek saīsināts.", "With invoices by e-mail the payment term is %d days longer, but never beyond %d days; a longer contract term is never shortened."},
	"einvoice.method":          {"Rēķinu piegāde", "Invoice delivery"},
	"einvoice.recipients":      {"Saņēmēji", "Recipients"},
	"einvoice.recipients.hint": {"No 1 līdz 5 e-pasta adresēm. Katra jauna adrese saņems apstiprinājuma vēstuli.", "1 to 5 e-mail addresses. Each new address gets a confirmation e-mail."},
	"einvoice.recipient":       {"E-pasta adrese", "E-mail address"},
	"einvoice.formats":         {"Pielikumi", "Attachments"},
	"einvoice.always":          {"vienmēr", "always"},
	"einvoice.ubl":             {"grāmatvedības sistēmām", "for accounting systems"},
	"einvoice.term":            {"Apmaksas termiņš", "Payment term"},
	"einvoice.term.paper":      {"Termiņš ar papīra rēķinu", "Term with a paper invoice"},
	"einvoice.term.einvoice":   {"Termiņš ar e-rēķinu", "Term with an e-invoice"},
	"einvoice.days":            {"dienas", "days"},
	"einvoice.noextra":         {"Šī līguma termiņš jau ir %d dienas, tāpēc e-rēķins to nepagarina, bet arī nesaīsina.", "This contract's term is already %d days, so e-invoice does not extend it, nor shorten it."},
	"einvoice.now":             {"Pašlaik:", "Now:"},
	"einvoice.open":            {"Skatīt", "View"},
	"einvoice.change":          {"Mainīt", "Change"},
	"einvoice.all":             {"Visi līgumi", "All contracts"},
	"einvoice.confirmhint":     {"Izmaiņas attiecas uz rēķiniem, kas izrakstīti pēc saglabāšanas.", "The change applies to invoices issued after it is saved."},
	"einvoice.saved":           {"Rēķinu piegāde saglabāta.", "The invoice delivery has been saved."},
	"einvoice.confirmed":       {"Apstiprinājuma vēstules nosūtītas jaunajiem saņēmējiem: %d.", "Confirmation e-mails sent to new recipients: %d."},
	"einvoice.err.method":      {"Izvēlieties piegādes veidu.", "Choose how invoices are delivered."},
	"einvoice.err.address":     {"Norādiet derīgu e-pasta adresi, piemēram, rekini@uznemums.lv.", "Give a valid e-mail address, for example invoices@company.com."},
	"einvoice.err.none":        {"E-rēķinam vajadzīga vismaz viena e-pasta adrese.", "An e-invoice needs at least one e-mail address."},
	"einvoice.err.invalid":     {"Iestatījumus nevarēja saglabāt. Pārbaudiet adreses (ne vairāk kā 5, bez atkārtojumiem).", "The settings could not be saved. Check the addresses (5 at most, no repeats)."},

	"overview.einvoice":       {"E-rēķins", "E-invoice"},
	"overview.einvoice.on":    {"E-rēķinu saņem līgumi:", "Contracts on e-invoice:"},
	"overview.einvoice.offer": {"Pieslēdzieties e-rēķinam un saņemiet garāku apmaksas termiņu:", "Sign up for e-invoices and get a longer payment term:"},
	"overview.problems":       {"Rēķinu piegādes problēmas", "Invoice delivery problems"},
	"overview.failed":         {"Šīs vēstules neizdevās nosūtīt. Pārbaudiet adreses e-rēķina iestatījumos; rēķini vienmēr ir pieejami portālā.", "These e-mails could not be delivered. Check the addresses in the e-invoice settings; the invoices are always here in the portal."},

	"invoice.title":             {"Rēķins", "Invoice"},
	"invoice.contract":          {"Līgums", "Contract"},
	"invoice.documents":         {"Dokumenti", "Documents"},
	"invoice.delivery":          {"Piegādes vēsture", "Delivery history"},
	"invoice.nodelivery":        {"Šis rēķins netika sūtīts e-pastā.", "This invoice was not sent by e-mail."},
	"invoice.print.open":        {"Līgumam bija papīra rēķins: rēķins ir %s drukas partijā, kas vēl nav nodota drukātavai.", "The contract was on paper invoices: the invoice is in the print batch of %s, not yet handed to the print house."},
	"invoice.print.done":        {"Līgumam bija papīra rēķins: %s drukas partija nodota drukātavai %s.", "The contract was on paper invoices: the print batch of %s was handed to the print house on %s."},
	"invoice.recipient":         {"Saņēmējs", "Recipient"},
	"invoice.queued":            {"Izveidots", "Created"},
	"invoice.sent":              {"Nosūtīts", "Sent"},
	"invoice.status":            {"Statuss", "Status"},
	"invoice.attempts":          {"Mēģinājumi", "Attempts"},
	"invoice.attempt":           {"Mēģinājums", "Attempt"},
	"invoice.time":              {"Laiks", "Time"},
	"invoice.server":            {"Serveris", "Server"},
	"invoice.reply":             {"Servera atbilde", "Server reply"},
	"invoice.next":              {"Nākamais mēģinājums", "Next attempt"},
	"invoice.noattempt":         {"Vēl nav mēģināts.", "Not attempted yet."},
	"invoice.kind.invoice":      {"rēķins", "invoice"},
	"invoice.kind.resend":       {"atkārtoti", "sent again"},
	"invoice.kind.confirmation": {"apstiprinājums", "confirmation"},
	"status.queued":             {"gaida", "queued"},
	"status.sending":            {"sūta", "sending"},
	"status.sent":               {"nosūtīts", "sent"},
	"status.retrying":           {"atkārtos", "will retry"},
	"status.failed":             {"neizdevās", "failed"},
	"outcome.sending":           {"pārtraukts", "interrupted"},
	"outcome.accepted":          {"pieņemts", "accepted"},
	"outcome.deferred":          {"atlikts", "deferred"},
	"outcome.rejected":          {"noraidīts", "rejected"},
	"signin.forgot":             {"Aizmirsāt paroli?", "Forgot your password?"},

	"users.title":         {"Portāla lietotāji", "Portal users"},
	"users.role":          {"Loma", "Role"},
	"users.you":           {"jūs", "you"},
	"users.change":        {"Mainīt lomu", "Change role"},
	"users.remove":        {"Noņemt", "Remove"},
	"users.invite":        {"Uzaicināt lietotāju", "Invite a user"},
	"users.invite.hint":   {"Uzaicinātais saņems e-pastu ar saiti, kas derīga 7 dienas un izmantojama vienu reizi.", "The invitee gets an e-mail with a link that works once, for 7 days."},
	"users.invite.send":   {"Sūtīt uzaicinājumu", "Send the invitation"},
	"users.pending":       {"Nepieņemtie uzaicinājumi", "Invitations not yet accepted"},
	"users.expires":       {"derīgs līdz", "valid until"},
	"users.done.invited":  {"Uzaicinājums nosūtīts.", "The invitation has been sent."},
	"users.done.role":     {"Loma nomainīta.", "The role has been changed."},
	"users.done.removed":  {"Lietotājs noņemts.", "The user has been removed."},
	"users.err.role":      {"Izvēlieties lomu.", "Choose a role."},
	"users.err.member":    {"Šī adrese jau ir uzņēmuma lietotājs.", "This address is already a user of the company."},
	"users.err.lastadmin": {"Uzņēmumam jāpaliek vismaz vienam administratoram.", "The company must keep at least one administrator."},
	"audit.user.add":      {"pievienoja", "added"},
	"audit.user.invite":   {"uzaicināja", "invited"},
	"audit.user.accept":   {"pieņēma uzaicinājumu:", "accepted the invitation:"},
	"audit.user.role":     {"nomainīja lomu:", "changed the role of"},
	"audit.user.remove":   {"noņēma", "removed"},

	"invitation.title":    {"Uzaicinājums uz portālu", "Invitation to the portal"},
	"invitation.text":     {"%s jūs uzaicina portālā ar lomu „%s” (%s).", "%s invites you to the portal as %s (%s)."},
	"invitation.existing": {"Jums jau ir portāla konts. Pieņemiet uzaicinājumu un pieslēdzieties ar savu paroli.", "You already have a portal account. Accept and sign in with your password."},
	"invitation.accept":   {"Pieņemt uzaicinājumu", "Accept the invitation"},

	"password.new":          {"Jaunā parole", "New password"},
	"password.again":        {"Jaunā parole vēlreiz", "New password again"},
	"password.hint":         {"Vismaz 12 zīmes; garāka frāze ir drošāka.", "At least 12 characters; a longer phrase is safer."},
	"password.err.short":    {"Parolei jābūt vismaz 12 zīmes garai.", "The password needs at least 12 characters."},
	"password.err.long":     {"Parole ir pārāk gara.", "The password is too long."},
	"password.err.mismatch": {"Paroles nesakrīt.", "The passwords do not match."},

	"forgot.title":   {"Paroles atjaunošana", "Reset your password"},
	"forgot.text":    {"Norādiet savu e-pasta adresi, un mēs nosūtīsim saiti jaunas paroles iestatīšanai.", "Give your e-mail address and we will send a link to set a new password."},
	"forgot.send":    {"Sūtīt saiti", "Send the link"},
	"forgot.limited": {"No šīs adreses pieprasīts pārāk daudz saišu. Mēģiniet vēlreiz pēc 15 minūtēm.", "Too many links were asked for from this address. Try again in 15 minutes."},
	"forgot.sent":    {"Ja adresei %s ir portāla konts, uz to nosūtīta saite paroles atjaunošanai. Saite ir derīga vienu stundu.", "If %s has a portal account, a link to reset the password is on its way. The link works for one hour."},
	"reset.title":    {"Jaunas paroles iestatīšana", "Set a new password"},
	"reset.submit":   {"Saglabāt paroli", "Save the password"},

	"link.gone":      {"Saite vairs nav derīga", "This link no longer works"},
	"link.gone.text": {"Saite ir jau izmantota, tai beidzies derīgums vai tā ir nepilnīga. Pieprasiet jaunu.", "The link has been used, has expired or is incomplete. Ask for a new one."},

	"mail.invite.subject": {"Uzaicinājums uz %s klientu portālu", "Invitation to the customer portal of %s"},
	"mail.invite.body":    {"Labdien!\n\n%s jūs uzaicina uzņēmuma %s klientu portālā ar lomu „%s”.\n\nLai pieņemtu uzaicinājumu un iestatītu paroli, atveriet saiti:\n%s\n\nSaite ir derīga līdz %s un izmantojama vienu reizi. Ja uzaicinājumu negaidījāt, šo vēstuli varat dzēst.\n", "Hello,\n\n%s invites you to the customer portal of %s as %s.\n\nTo accept and set your password, open this link:\n%s\n\nThe link works once, until %s. If you did not expect this invitation, you can delete this e-mail.\n"},
	"mail.reset.subject":  {"Paroles atjaunošana klientu portālā", "Reset your customer portal password"},
	"mail.reset.body":     {"Labdien, %s!\n\nLai iestatītu jaunu paroli, atveriet saiti:\n%s\n\nSaite ir derīga līdz %s un izmantojama vienu reizi. Ja paroles atjaunošanu nepieprasījāt, šo vēstuli varat dzēst: parole nav mainīta.\n", "Hello %s,\n\nTo set a new password, open this link:\n%s\n\nThe link works once, until %s. If you did not ask for this, delete this e-mail: your password has not changed.\n"},
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

// mailText is the text with the key in lang filled with args.
func mailText(lang, key string, args ...any) string { return fmt.Sprintf(text(lang, key), args...) }

// moreTexts adds a section's texts to texts; a key defined twice is a programming error.
func moreTexts(m map[string][2]string) bool {
	for k, v := range m {
		if _, dup := texts[k]; dup {
			panic("portal: text " + k + " defined twice")
		}
		texts[k] = v
	}
	return true
}
