package portal

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/erekins/erekins/billing"
)

// readingMessagesLV translates the reading rules' messages (billing.Accept and
// billing.Advance) into Latvian; the English text is the rule's own. The billing package
// gives messages in English only; once its errors carry a message key and arguments, this
// table goes away.
var readingMessagesLV = []struct {
	re *regexp.Regexp
	lv string
}{
	{regexp.MustCompile(`^must not be negative$`), "Rādījums nevar būt negatīvs."},
	{regexp.MustCompile(`^(\S+) has more than 3 decimals$`), "Rādījumam %s ir vairāk nekā 3 zīmes aiz komata."},
	{regexp.MustCompile(`^(\S+) does not fit a (\d+)-digit register$`), "%s neietilpst %s ciparu skaitītājā."},
	{regexp.MustCompile(`^(\S+) is outside every readings window: readings are taken from the (\d+)\. of a month to the (\d+)\. of the next$`),
		"Datums %s neietilpst rādījumu iesniegšanas laikā: rādījumus iesniedz no mēneša %s. datuma līdz nākamā mēneša %s. datumam."},
	{regexp.MustCompile(`^(\S+) is after the submission date (\S+)$`), "Datums %s ir vēlāks par iesniegšanas dienu %s."},
	{regexp.MustCompile(`^(\S+) was billed by the previous system and has its reading; it cannot be corrected here$`),
		"Periodam %s rēķinu izrakstīja iepriekšējā sistēma, un tā rādījumu šeit labot nevar."},
	{regexp.MustCompile(`^(\S+) was billed with an estimate for (\S+); submit the actual reading in the next window and it corrects the estimate$`),
		"Periodam %s rēķins par %s izrakstīts pēc aprēķinātā patēriņa; iesniedziet faktisko rādījumu nākamajā iesniegšanas laikā, un tas izlabos aprēķinu."},
	{regexp.MustCompile(`^(\S+) already has the reading (\S+) of (\S+) for (\S+); give a reason to correct it$`),
		"%s jau ir rādījums %s (%s) periodam %s; lai to labotu, norādiet iemeslu."},
	{regexp.MustCompile(`^(\S+) is already billed; submit the reading in the next window$`),
		"Periodam %s rēķins jau ir izrakstīts; iesniedziet rādījumu nākamajā iesniegšanas laikā."},
	{regexp.MustCompile(`^(\S+) is lower than the last actual reading (\S+); a roll-over of a (\d+)-digit register would be implausible$`),
		"%s ir mazāks par pēdējo faktisko rādījumu %s; %s ciparu skaitītāja pārsniegšana (roll-over) šādā apmērā nav ticama."},
	{regexp.MustCompile(`^consumption (\S+) kWh is more than (\S+)× the average (\S+) kWh of recent months; confirm to accept it$`),
		"Patēriņš %s kWh ir vairāk nekā %s× lielāks par pēdējo mēnešu vidējo (%s kWh). Ja rādījums ir pareizs, apstipriniet to."},
	{regexp.MustCompile(`^(\S+) is higher than the later reading (\S+) of (\S+)$`), "%s ir lielāks par vēlāko rādījumu %s (%s)."},
}

// errorMessage is the message of a domain error for a person, in lang.
func errorMessage(lang string, err error) string {
	var e *billing.Error
	if !errors.As(err, &e) {
		return text(lang, "error.internal")
	}
	if lang != billing.Latvian {
		if e.Message == "" {
			return ""
		}
		return strings.ToUpper(e.Message[:1]) + e.Message[1:] + "."
	}
	for _, m := range readingMessagesLV {
		if sub := m.re.FindStringSubmatch(e.Message); sub != nil {
			args := make([]any, len(sub)-1)
			for i, s := range sub[1:] {
				args[i] = s
			}
			return fmt.Sprintf(m.lv, args...)
		}
	}
	return text(lang, "error.invalid") + " (" + e.Message + ")"
}
