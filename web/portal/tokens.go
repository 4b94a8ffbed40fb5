package portal

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
)

// APITokenPrefix starts every REST API token, so that people and secret scanners know one.
const APITokenPrefix = "erk_"

// NewAPIToken returns a new REST API token (the prefix and 32 random bytes in base64url)
// and the SHA-256 that is stored in its place; the token itself is shown once.
func NewAPIToken() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashAPIToken(secret)
}

// HashAPIToken is the stored form of an API token.
func HashAPIToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

var _ = moreTexts(map[string][2]string{
	"nav.tokens":             {"API piekļuve", "API tokens"},
	"tokens.title":           {"API piekļuves atslēgas", "API tokens"},
	"tokens.intro":           {"Ar atslēgu grāmatvedības sistēma caur REST API (/api/v1) lejupielādē rēķinus, iesniedz rādījumus un maina kontaktus ar tām pašām tiesībām, kādas portālā ir izvēlētajai lomai.", "With a token an accounting system uses the REST API (/api/v1) to download invoices, submit readings and update contacts, with the rights the chosen role has in the portal."},
	"tokens.name":            {"Nosaukums", "Name"},
	"tokens.role":            {"Loma", "Role"},
	"tokens.created":         {"Izveidota", "Created"},
	"tokens.lastused":        {"Pēdējoreiz izmantota", "Last used"},
	"tokens.never":           {"nekad", "never"},
	"tokens.status":          {"Statuss", "Status"},
	"tokens.active":          {"aktīva", "active"},
	"tokens.revoked":         {"atsaukta", "revoked"},
	"tokens.revoke":          {"Atsaukt", "Revoke"},
	"tokens.none":            {"Atslēgu vēl nav.", "There are no tokens yet."},
	"tokens.new":             {"Jauna atslēga", "New token"},
	"tokens.name.hint":       {"Piemēram, sistēmas nosaukums, kas to lietos.", "For example the name of the system that will use it."},
	"tokens.create":          {"Izveidot atslēgu", "Create the token"},
	"tokens.secret":          {"Jūsu jaunā atslēga", "Your new token"},
	"tokens.secret.once":     {"Nokopējiet to tagad: tā tiek parādīta tikai šoreiz un netiek glabāta. Pazaudētu atslēgu atsauciet un izveidojiet jaunu.", "Copy it now: it is shown only this once and is not stored. Revoke a lost token and create a new one."},
	"tokens.err.name":        {"Norādiet nosaukumu (līdz 100 zīmēm).", "Give a name (up to 100 characters)."},
	"tokens.err.role":        {"Izvēlieties lomu.", "Choose a role."},
	"tokens.done.revoked":    {"Atslēga atsaukta; ar to vairs nevar piekļūt.", "The token is revoked; it no longer gives access."},
	"audit.api_token.create": {"izveidoja API atslēgu", "created the API token"},
	"audit.api_token.revoke": {"atsauca API atslēgu", "revoked the API token"},
})

type tokensData struct {
	Tokens     []sqldb.APIToken
	History    []sqldb.Audit
	Roles      []string
	Name, Role string            // the form as entered
	Errors     map[string]string // field → message key
	Secret     string            // a token just created, shown this once
	Done       string            // message key of what was just done
}

func (p *Portal) tokensPage(w http.ResponseWriter, r *http.Request, rq *request, status int, d tokensData) error {
	ctx := r.Context()
	var err error
	if d.Tokens, err = p.db().CustomerAPITokens(ctx, rq.Current.CustomerID); err != nil {
		return err
	}
	if d.History, err = p.db().CustomerAPITokenAudit(ctx, rq.Current.Registration, 20); err != nil {
		return err
	}
	d.Roles = sqldb.Roles
	if d.Role == "" {
		d.Role = sqldb.RoleViewer
	}
	if d.Errors == nil && d.Secret == "" && r.URL.Query().Get("done") == "revoked" {
		d.Done = "tokens.done.revoked"
	}
	p.render(w, r, rq, status, "tokens.html", d)
	return nil
}

func (p *Portal) tokens(w http.ResponseWriter, r *http.Request, rq *request) error {
	return p.tokensPage(w, r, rq, http.StatusOK, tokensData{})
}

// createToken stores a new token for the current customer and shows its secret once, in
// the answer itself (never in a URL or a redirect).
func (p *Portal) createToken(w http.ResponseWriter, r *http.Request, rq *request) error {
	d := tokensData{Name: strings.TrimSpace(r.PostFormValue("name")), Role: r.PostFormValue("role"), Errors: map[string]string{}}
	if d.Name == "" || utf8.RuneCountInString(d.Name) > 100 {
		d.Errors["name"] = "tokens.err.name"
	}
	if !slices.Contains(sqldb.Roles, d.Role) {
		d.Errors["role"] = "tokens.err.role"
	}
	if len(d.Errors) > 0 {
		return p.tokensPage(w, r, rq, http.StatusUnprocessableEntity, d)
	}
	secret, hash := NewAPIToken()
	if _, err := p.db().CreateAPIToken(r.Context(), sqldb.APIToken{CustomerID: rq.Current.CustomerID, Role: d.Role, Name: d.Name,
		TokenHash: hash, CreatedBy: rq.User.Email, CreatedAt: p.Now()}); err != nil {
		return err
	}
	return p.tokensPage(w, r, rq, http.StatusOK, tokensData{Secret: secret})
}

// revokeToken revokes one of the current customer's tokens; another customer's is not found.
func (p *Portal) revokeToken(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return billing.NotFound("API token", r.PathValue("id"))
	}
	if err := p.db().RevokeAPIToken(r.Context(), rq.Current.CustomerID, id, rq.User.Email, p.Now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/tokens?done=revoked", http.StatusSeeOther)
	return nil
}
