package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// App is a partner app as registered in the Partner Dashboard. Empty fields
// get sandbox values ("sbx_" prefixed) when the app is added.
type App struct {
	// ID is the partner_app_id (a UUID) that webhook envelopes carry.
	ID           string
	ClientID     string
	ClientSecret string
	Name         string
	CompanyName  string
	// RedirectURIs are the registered redirect URIs; matching is exact.
	RedirectURIs []string
	// Scopes are the scopes the app is approved for; nil means all.
	Scopes        []string
	APIKey        string
	WebhookURL    string
	WebhookSecret string
	// WebhooksDisabled turns deliveries off (admin webhook-status, or
	// Contio's auto-disable rule); events are then held pending.
	WebhooksDisabled bool
	// WebhooksDisabledReason says why the auto-disable rule turned
	// webhooks off ("" when they are on or were turned off by hand).
	WebhooksDisabledReason string
	// WebhookFilter limits deliveries by event type; nil delivers all.
	WebhookFilter *WebhookFilter
	// Deactivated apps get invalid_client everywhere.
	Deactivated bool
}

// WebhookFilter includes or excludes event types from delivery.
type WebhookFilter struct {
	Type   string   `json:"type"` // include or exclude
	Events []string `json:"events"`
}

// allows reports whether an event type passes the filter.
func (f *WebhookFilter) allows(eventType string) bool {
	if f == nil {
		return true
	}
	return slices.Contains(f.Events, eventType) == (f.Type == "include")
}

// User is a Contio user who can sign in with an e-mail OTP.
type User struct {
	ID            string
	Email         string
	Name          string
	WorkspaceID   string
	WorkspaceName string
}

// TokenSpec describes tokens to mint directly, without the OAuth flow.
type TokenSpec struct {
	// ClientID defaults to the default app.
	ClientID string
	// UserEmail defaults to the default user; the user is created if new.
	UserEmail string
	// Scopes granted; nil means none (like a token whose consent was skipped).
	Scopes []string
	// Expired mints tokens that expired a second ago.
	Expired bool
	// Revoked mints tokens that are already revoked.
	Revoked bool
}

// Tokens is what a token grant returns.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
	IDToken      string `json:"id_token,omitempty"`
}

type tokenKind string

const (
	kindAccess  tokenKind = "access_token"
	kindRefresh tokenKind = "refresh_token"
)

type token struct {
	value    string
	kind     tokenKind
	clientID string
	userID   string // "" for client_credentials
	scopes   []string
	issued   time.Time
	expires  time.Time
	revoked  bool
	// rotated: a refresh token already exchanged; presenting it again is reuse.
	rotated bool
	// family groups every token minted from one grant (a code, or a
	// client_credentials call), so reuse can revoke them all.
	family string
}

func (t *token) active(now time.Time) bool {
	return t != nil && !t.revoked && !t.rotated && now.Before(t.expires)
}

type authCode struct {
	code              string
	clientID          string
	redirectURI       string
	userID            string
	scopes            []string
	challenge, method string
	issued            time.Time
	used              bool
}

// state is everything a Reset clears; Sandbox.mu guards it.
type state struct {
	apps        map[string]*App // by client_id
	users       map[string]*User
	userByEmail map[string]string
	tokens      map[string]*token
	codes       map[string]*authCode
	challenges  map[string]*otpChallenge // by session
	sessions    map[string]*authSession  // by client_id|email
	webSessions map[string]*authSession  // by session cookie
	connections map[string]*connection   // by client_id|user_id
	data        map[string]*userData     // by user id
	idem        map[string]*idemRecord   // by credential|method|Idempotency-Key
	workspaces  map[string]*Workspace    // shared workspaces, by id
	res         *resources               // what the SDK 1.9.0 operations manage

	defaultClient, defaultUser string
}

func newState() *state {
	return &state{
		apps: map[string]*App{}, users: map[string]*User{}, userByEmail: map[string]string{},
		tokens: map[string]*token{}, codes: map[string]*authCode{},
		challenges: map[string]*otpChallenge{}, sessions: map[string]*authSession{},
		webSessions: map[string]*authSession{}, connections: map[string]*connection{},
		data: map[string]*userData{}, idem: map[string]*idemRecord{},
		workspaces: map[string]*Workspace{}, res: newResources(),
	}
}

// connection is a user's grant to an app, as admin /connections shows it.
type connection struct {
	ID        string
	clientID  string
	userID    string
	scopes    []string
	created   time.Time
	updated   time.Time
	lastUsed  time.Time
	expiresAt time.Time
	revoked   bool
}

func (s *Sandbox) seedDefaults() {
	app := s.AddApp(App{Name: "Sandbox Partner App", CompanyName: "Example Partner Ltd"})
	user := s.AddUser(User{Email: "ada@example.com", Name: "Ada Lovelace"})
	s.mu.Lock()
	s.st.defaultClient, s.st.defaultUser = app.ClientID, user.ID
	s.seedCatalogueLocked()
	s.mu.Unlock()
}

// DefaultRedirectURI is the redirect URI registered for apps that name none.
const DefaultRedirectURI = "http://localhost:3000/callback"

// AddApp registers a partner app, filling empty fields with sandbox values,
// and returns it as stored. An app with an existing client_id replaces it.
func (s *Sandbox) AddApp(app App) App {
	if app.ID == "" {
		app.ID = s.ids.uuid()
	}
	if app.ClientID == "" {
		app.ClientID = "sbx_client_" + s.ids.hex(8)
	}
	if app.ClientSecret == "" {
		app.ClientSecret = "sbx_secret_" + s.ids.hex(16)
	}
	if app.APIKey == "" {
		app.APIKey = "sbx_key_" + s.ids.hex(16)
	}
	if app.WebhookSecret == "" {
		app.WebhookSecret = "sbx_whsec_" + s.ids.hex(16)
	}
	if app.Name == "" {
		app.Name = "Sandbox app " + app.ClientID
	}
	if app.RedirectURIs == nil {
		app.RedirectURIs = []string{DefaultRedirectURI}
	}
	if app.Scopes == nil {
		app.Scopes = contio.ScopeNames()
	}
	app.RedirectURIs = slices.Clone(app.RedirectURIs)
	app.Scopes = slices.Clone(app.Scopes)
	stored := app
	s.mu.Lock()
	s.st.apps[app.ClientID] = &stored
	s.mu.Unlock()
	return app
}

// App returns the app with clientID.
func (s *Sandbox) App(clientID string) (App, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.apps[clientID]
	if !ok {
		return App{}, false
	}
	return cloneApp(a), true
}

func cloneApp(a *App) App {
	c := *a
	c.RedirectURIs = slices.Clone(a.RedirectURIs)
	c.Scopes = slices.Clone(a.Scopes)
	if a.WebhookFilter != nil {
		f := *a.WebhookFilter
		f.Events = slices.Clone(a.WebhookFilter.Events)
		c.WebhookFilter = &f
	}
	return c
}

// DefaultApp is the app New seeds.
func (s *Sandbox) DefaultApp() App {
	s.mu.Lock()
	id := s.st.defaultClient
	s.mu.Unlock()
	a, _ := s.App(id)
	return a
}

// DefaultUser is the user New seeds, with meetings, action items and
// calendar events.
func (s *Sandbox) DefaultUser() User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.st.users[s.st.defaultUser]
}

// UpdateApp changes a stored app.
func (s *Sandbox) UpdateApp(clientID string, change func(*App)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.apps[clientID]
	if !ok {
		return fmt.Errorf("sandbox: no app with client_id %q", clientID)
	}
	change(a)
	return nil
}

// SetAppActive activates or deactivates an app.
func (s *Sandbox) SetAppActive(clientID string, active bool) error {
	return s.UpdateApp(clientID, func(a *App) { a.Deactivated = !active })
}

// AddUser registers a user (the e-mail is the key) with seeded data and
// returns it as stored.
func (s *Sandbox) AddUser(user User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.addUserLocked(user)
}

func (s *Sandbox) addUserLocked(user User) *User {
	user.Email = strings.ToLower(strings.TrimSpace(user.Email))
	if id, ok := s.st.userByEmail[user.Email]; ok {
		return s.st.users[id]
	}
	if user.ID == "" {
		user.ID = s.ids.uuid()
	}
	if user.Name == "" {
		user.Name, _, _ = strings.Cut(user.Email, "@")
	}
	if user.WorkspaceID == "" {
		user.WorkspaceID = s.ids.uuid()
	}
	if user.WorkspaceName == "" {
		user.WorkspaceName = user.Name + "'s workspace"
	}
	u := user
	s.st.users[u.ID] = &u
	s.st.userByEmail[u.Email] = u.ID
	s.st.data[u.ID] = s.seedUserData(&u)
	return &u
}

// IssueTokens mints an access and refresh token as if the user had
// completed the OAuth flow with spec's scopes.
func (s *Sandbox) IssueTokens(spec TokenSpec) (Tokens, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	clientID := spec.ClientID
	if clientID == "" {
		clientID = s.st.defaultClient
	}
	if _, ok := s.st.apps[clientID]; !ok {
		return Tokens{}, fmt.Errorf("sandbox: no app with client_id %q", clientID)
	}
	userID := s.st.defaultUser
	if spec.UserEmail != "" {
		userID = s.addUserLocked(User{Email: spec.UserEmail}).ID
	}
	now := s.Now()
	tok := s.mintLocked(clientID, userID, spec.Scopes, "grant_"+s.ids.hex(8), true, "", now)
	for _, v := range []string{tok.AccessToken, tok.RefreshToken} {
		t := s.st.tokens[v]
		if spec.Expired {
			t.issued = now.Add(-(t.expires.Sub(t.issued) + time.Second))
			t.expires = now.Add(-time.Second)
		}
		t.revoked = spec.Revoked
	}
	return tok, nil
}

// RevokeToken revokes an access or refresh token (a refresh token takes
// its family with it), as POST /oauth2/revoke does.
func (s *Sandbox) RevokeToken(value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeLocked(value)
}

func (s *Sandbox) revokeLocked(value string) bool {
	t, ok := s.st.tokens[value]
	if !ok {
		return false
	}
	if t.kind == kindRefresh {
		s.revokeFamilyLocked(t.family)
		return true
	}
	t.revoked = true
	return true
}

func (s *Sandbox) revokeFamilyLocked(family string) {
	for _, t := range s.st.tokens {
		if t.family == family {
			t.revoked = true
		}
	}
}

// mintLocked issues an access token (and a refresh token and, with the
// openid scope and an issuer, an ID token).
func (s *Sandbox) mintLocked(clientID, userID string, scopes []string, family string, refresh bool, issuer string, now time.Time) Tokens {
	scopes = slices.Clone(scopes)
	at := &token{value: contio.AccessTokenPrefix + s.ids.hex(24), kind: kindAccess, clientID: clientID,
		userID: userID, scopes: scopes, issued: now, expires: now.Add(contio.AccessTokenTTL), family: family}
	s.st.tokens[at.value] = at
	out := Tokens{AccessToken: at.value, TokenType: "Bearer", ExpiresIn: int(contio.AccessTokenTTL / time.Second),
		Scope: strings.Join(scopes, " ")}
	if refresh && userID != "" {
		rt := &token{value: contio.RefreshTokenPrefix + s.ids.hex(24), kind: kindRefresh, clientID: clientID,
			userID: userID, scopes: scopes, issued: now, expires: now.Add(contio.RefreshTokenTTL), family: family}
		s.st.tokens[rt.value] = rt
		out.RefreshToken = rt.value
	}
	if userID != "" {
		s.touchConnectionLocked(clientID, userID, scopes, at.expires, now)
		if issuer != "" && slices.Contains(scopes, "openid") {
			u := s.st.users[userID]
			out.IDToken = s.keys.sign(map[string]any{
				"iss": issuer, "sub": userID, "aud": clientID, "iat": now.Unix(),
				"exp": now.Add(contio.IDTokenTTL).Unix(), "email": u.Email, "name": u.Name,
			})
		}
	}
	return out
}

func (s *Sandbox) touchConnectionLocked(clientID, userID string, scopes []string, expires, now time.Time) {
	key := clientID + "|" + userID
	c, ok := s.st.connections[key]
	if !ok || c.revoked {
		c = &connection{ID: s.ids.uuid(), clientID: clientID, userID: userID, created: now}
		s.st.connections[key] = c
	}
	c.scopes, c.updated, c.lastUsed, c.expiresAt = slices.Clone(scopes), now, now, expires
}

// signingKey signs ID tokens (ES256); its public half is at
// /.well-known/jwks.json. It is made fresh for every sandbox.
type signingKey struct {
	priv *ecdsa.PrivateKey
	kid  string
}

func newSigningKey() *signingKey {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("sandbox: generate signing key: %v", err))
	}
	pub, err := priv.PublicKey.Bytes()
	if err != nil {
		panic(fmt.Sprintf("sandbox: encode signing key: %v", err))
	}
	sum := sha256.Sum256(pub)
	return &signingKey{priv: priv, kid: "sbx-" + base64.RawURLEncoding.EncodeToString(sum[:8])}
}

var b64 = base64.RawURLEncoding

func (k *signingKey) sign(claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT", "kid": k.kid})
	c, _ := json.Marshal(claims)
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	sum := sha256.Sum256([]byte(input))
	r, sv, err := ecdsa.Sign(rand.Reader, k.priv, sum[:])
	if err != nil {
		panic(fmt.Sprintf("sandbox: sign ID token: %v", err))
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	sv.FillBytes(sig[32:])
	return input + "." + b64.EncodeToString(sig)
}

// jwk is the public key as a JSON Web Key: never the private "d".
func (k *signingKey) jwk() map[string]any {
	pub, _ := k.priv.PublicKey.Bytes() // 0x04 || X || Y
	return map[string]any{
		"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": k.kid,
		"x": b64.EncodeToString(pub[1:33]), "y": b64.EncodeToString(pub[33:65]),
	}
}

// VerifyIDToken checks an ID token's ES256 signature against a JWK (as
// served at /.well-known/jwks.json) and returns its claims. It is what a
// partner's code would do, kept here so tests can prove the keys match.
func VerifyIDToken(idToken string, jwk map[string]any) (map[string]any, error) {
	parts := strings.Split(idToken, ".")
	if len(parts) != 3 {
		return nil, errors.New("id token is not three dot-separated parts")
	}
	xs, _ := jwk["x"].(string)
	ys, _ := jwk["y"].(string)
	x, err1 := b64.DecodeString(xs)
	y, err2 := b64.DecodeString(ys)
	sig, err3 := b64.DecodeString(parts[2])
	if err := errors.Join(err1, err2, err3); err != nil || len(sig) != 64 {
		return nil, fmt.Errorf("decode key or signature: %w", err)
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, fmt.Errorf("parse key: %w", err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return nil, errors.New("id token signature does not verify")
	}
	raw, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("decode claims: %w", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		return nil, fmt.Errorf("parse claims: %w", err)
	}
	return claims, nil
}
