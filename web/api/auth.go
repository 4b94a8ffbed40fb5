package api

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/portal"
)

// caller is who makes a request: the token and the name its changes are audited under.
type caller struct {
	Token sqldb.APIToken
	Actor string
}

type handler func(w http.ResponseWriter, r *http.Request, c *caller) error

// touchEvery is how often a token's last use is written.
const touchEvery = time.Minute

// authed serves h to a request with a valid bearer token whose role holds perm, within the
// token's rate limit.
func (api *API) authed(perm string, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := api.authenticate(r)
		if err == nil {
			err = api.limit(w, c)
		}
		if err == nil && !portal.Can(c.Token.Role, perm) {
			err = newError(http.StatusForbidden, billing.ErrForbidden, "", "the token's role ("+c.Token.Role+") does not allow this")
		}
		if err == nil {
			err = h(w, r, c)
		}
		if err != nil {
			api.fail(w, r, err)
		}
	})
}

func unauthorized(msg string) *apiError {
	return newError(http.StatusUnauthorized, codeUnauthorized, "Authorization", msg)
}

// authenticate finds the request's token. Unknown, malformed and revoked tokens get one and
// the same answer.
func (api *API) authenticate(r *http.Request) (*caller, error) {
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, unauthorized("send an API token as Authorization: Bearer erk_…")
	}
	secret = strings.TrimSpace(secret)
	if !strings.HasPrefix(secret, portal.APITokenPrefix) || len(secret) > 100 {
		return nil, unauthorized("the API token is not valid")
	}
	ctx := r.Context()
	t, err := api.App.DB.APITokenByHash(ctx, portal.HashAPIToken(secret))
	if billing.ErrorCode(err) == billing.ErrNotFound || (err == nil && t.Revoked()) {
		return nil, unauthorized("the API token is not valid")
	}
	if err != nil {
		return nil, err
	}
	if now := api.Now(); now.Sub(t.LastUsedAt) >= touchEvery {
		if err := api.App.DB.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return &caller{Token: t, Actor: "api token " + strconv.FormatInt(t.ID, 10) + " (" + t.Name + ")"}, nil
}

// limit takes one request from the token's bucket, or answers 429 with Retry-After.
func (api *API) limit(w http.ResponseWriter, c *caller) error {
	wait := api.limits.take(c.Token.ID, time.Now())
	if wait <= 0 {
		return nil
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return newError(http.StatusTooManyRequests, codeRateLimited, "", "too many requests with this token; retry after the time in Retry-After")
}

// limiter is a token bucket per API token, in memory: each instance limits on its own. It
// runs on the wall clock, not the App's, since it limits how fast requests really come.
type limiter struct {
	rate  float64 // requests per second
	burst float64

	mu      sync.Mutex
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), buckets: map[int64]*bucket{}}
}

// take spends one request of the token's budget at now; it returns 0 when there was one,
// else how long until there is.
func (l *limiter) take(id int64, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[id]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[id] = b
	}
	if d := now.Sub(b.at).Seconds(); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}
