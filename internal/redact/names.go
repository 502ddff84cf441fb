package redact

import "strings"

// secretWords are the words that make a name a credential's: a header,
// query parameter, form field or JSON key whose name holds one carries a
// secret, whatever else the name says (accessToken, X-Client-Secret,
// api-key, data.refresh_token, sig, PHPSESSID).
var secretWords = map[string]bool{
	"credential": true, "credentials": true, "token": true, "tokens": true,
	"secret": true, "secrets": true, "key": true, "keys": true, "apikey": true,
	"password": true, "passwd": true, "pwd": true, "passphrase": true,
	"signature": true, "sig": true, "code": true, "otp": true, "pin": true,
	"session": true, "sessionid": true, "sid": true, "phpsessid": true, "jsessionid": true,
	"jwt": true, "auth": true, "authorization": true, "cookie": true, "bearer": true,
	"assertion": true, "verifier": true, "csrf": true, "xsrf": true,
}

// plainWords make a name describe a credential without carrying it:
// token_type ("Bearer"), expires_in, code_challenge_method, error_code.
var plainWords = map[string]bool{
	"type": true, "expires": true, "expiry": true, "expiration": true, "ttl": true,
	"method": true, "error": true, "status": true, "url": true, "uri": true,
	"endpoint": true, "hint": true, "length": true, "count": true, "format": true,
	"kind": true, "name": true, "names": true, "version": true, "alg": true,
	"algorithm": true, "supported": true, "scope": true, "scopes": true,
}

// IsSecretName reports whether a header, parameter or key of this name
// carries a credential: one of its words (split at any separator and at
// camelCase humps, any casing) names one, and none says the value only
// describes it.
func IsSecretName(name string) bool {
	words := nameWords(name)
	secret := false
	for _, w := range words {
		if plainWords[w] {
			return false
		}
		if secretWords[w] {
			secret = true
		}
	}
	if !secret && len(words) == 1 {
		// Run-together names: "accesstoken", "clientsecret", "xapikey".
		for _, suffix := range []string{"token", "secret", "key", "password", "signature", "session", "credential", "code"} {
			if strings.HasSuffix(words[0], suffix) {
				return true
			}
		}
	}
	return secret
}

// nameWords splits a name into lower-case words at separators and at
// lower-to-upper humps: "X-Api-Key" → x api key, "accessToken" → access
// token, "HTTP_AUTH" → http auth.
func nameWords(name string) []string {
	var words []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		isUpper := c >= 'A' && c <= 'Z'
		isAlnum := isUpper || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !isAlnum {
			flush()
			continue
		}
		if isUpper && len(cur) > 0 {
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(name) && name[i+1] >= 'a' && name[i+1] <= 'z'
			if prev >= 'a' && prev <= 'z' || prev >= '0' && prev <= '9' || (prev >= 'A' && prev <= 'Z' && nextLower) {
				flush()
			}
		}
		cur = append(cur, c)
	}
	flush()
	return words
}
