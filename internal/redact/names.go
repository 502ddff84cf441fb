package redact

import "strings"

// secretWord reports the words that make a name a credential's: a header,
// query parameter, form field or JSON key whose name holds one carries a
// secret, whatever else the name says (accessToken, X-Client-Secret,
// api-key, data.refresh_token, sig, PHPSESSID).
func secretWord(w string) bool {
	switch w {
	case "credential", "credentials", "token", "tokens", "secret", "secrets", "key", "keys", "apikey",
		"password", "passwd", "pwd", "passphrase", "signature", "sig", "code", "otp", "pin", "session",
		"sessionid", "sid", "phpsessid", "jsessionid", "jwt", "auth", "authorization", "cookie",
		"bearer", "assertion", "verifier", "csrf", "xsrf":
		return true
	}
	return false
}

// plainWord reports the words that make a name describe a credential
// without carrying it: token_type ("Bearer"), expires_in,
// code_challenge_method, error_code.
func plainWord(w string) bool {
	switch w {
	case "type", "expires", "expiry", "expiration", "ttl", "method", "error", "status", "url", "uri",
		"endpoint", "hint", "length", "count", "format", "kind", "name", "names", "version", "alg",
		"algorithm", "supported", "scope", "scopes":
		return true
	}
	return false
}

// IsSecretName reports whether a header, parameter or key of this name
// carries a credential: one of its words (split at any separator and at
// camelCase humps, any casing) names one, and none says the value only
// describes it.
func IsSecretName(name string) bool {
	words := nameWords(name)
	secret := false
	for _, w := range words {
		if plainWord(w) {
			return false
		}
		if secretWord(w) {
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
