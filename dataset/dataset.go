package dataset

import (
	"io"
	"strings"

	"github.com/erekins/erekins/billing"
)

// Version is the dataset format version this package reads.
const Version = 1

// Dataset is a parsed dataset file. Slices keep the order of the file, so an index into them
// is the index that error messages name.
type Dataset struct {
	Version    int
	Supplier   *billing.Supplier // nil when the file has none (the configuration provides it)
	Calendar   *billing.Calendar // nil when the file has none
	PricePlans []billing.PricePlan
	Customers  []Customer
	Readings   []Reading
	// ReadingSet holds the readings instead of Readings when the dataset comes from
	// LoadCompact: a large file's readings take a tenth of the memory there.
	ReadingSet *ReadingSet
}

// Customer is a customer with the contracts (each with its metering points) and the portal
// users that the file gives for it.
type Customer struct {
	billing.Customer
	Contracts []billing.Contract
	Users     []User
}

// User is a portal user of one customer. Password is the plain-text password to hash
// (argon2id) on import; empty when the file gives none, and the user then sets one through
// the password-reset e-mail.
type User struct {
	Email    string
	Name     string
	Role     string
	Password string
}

// Portal roles of a user within a customer.
const (
	RoleAdmin    = "admin"
	RoleBilling  = "billing"
	RoleReadings = "readings"
	RoleViewer   = "viewer"
)

// Reading is a reading of the file with its position in the file's readings array, which
// stays valid when the import service sorts readings (by date, say) to run the billing
// checks, so its errors can still name "readings[17]".
type Reading struct {
	billing.Reading // Source, SubmittedAt and Confirmed come from the file; ID is zero
	Index           int
}

// Known says what the database already holds, so that a file may refer to price plans and
// add readings to metering points that an earlier import created. The import service
// implements it over its store (inside the import's transaction), or fills a KnownSet.
type Known interface {
	// HasPricePlan reports whether a price plan with the code exists.
	HasPricePlan(code string) bool
	// MeteringPoint returns the stored metering point with the code (its Registers and
	// Digits are what readings are checked against).
	MeteringPoint(code string) (billing.MeteringPoint, bool)
}

// KnownSet is a Known held in memory; its zero value (or nil) knows nothing.
type KnownSet struct {
	PricePlans     map[string]bool
	MeteringPoints map[string]billing.MeteringPoint
}

func (k *KnownSet) HasPricePlan(code string) bool {
	return k != nil && k.PricePlans[code]
}

func (k *KnownSet) MeteringPoint(code string) (billing.MeteringPoint, bool) {
	if k == nil {
		return billing.MeteringPoint{}, false
	}
	mp, ok := k.MeteringPoints[code]
	return mp, ok
}

// Load reads and validates a dataset: it is Parse and Validate together, returning every
// problem of both (file order, a field that could not be read reported once). On any
// problem it returns a nil Dataset and an Errors or a *SyntaxError: an import is all or
// nothing.
func Load(r io.Reader, known Known) (*Dataset, error) {
	ds, err := LoadCompact(r, known)
	if err != nil {
		return nil, err
	}
	ds.Readings, ds.ReadingSet = ds.ReadingSet.All(), nil
	return ds, nil
}

// LoadCompact is Load with the readings in ds.ReadingSet rather than ds.Readings, for
// files of millions of readings. It reads r in one pass and never holds the whole file.
func LoadCompact(r io.Reader, known Known) (*Dataset, error) {
	ds, perrs, err := parse(r)
	if err != nil {
		return nil, err
	}
	errs := perrs
	if len(perrs) == 0 {
		errs = Validate(ds, known)
	} else {
		byRecord := make(map[string][]FieldError)
		for _, e := range perrs {
			byRecord[e.Record] = append(byRecord[e.Record], e)
		}
		for _, e := range Validate(ds, known) {
			if !covered(byRecord[e.Record], e) {
				errs = append(errs, e)
			}
		}
	}
	if len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	return ds, nil
}

// covered reports whether a problem of shape of e's record already explains e: the same
// field, or a field that holds it (an address that is not an object explains its missing
// street).
func covered(perrs []FieldError, e FieldError) bool {
	for _, p := range perrs {
		if p.Field == "" || p.Field == e.Field ||
			strings.HasPrefix(e.Field, p.Field+".") || strings.HasPrefix(e.Field, p.Field+"[") {
			return true
		}
	}
	return false
}
