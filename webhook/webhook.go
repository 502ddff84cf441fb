// Package webhook signs and verifies Contio webhook deliveries.
//
// Contio signs the exact bytes of the HTTP body with HMAC-SHA256, keyed by
// the webhook secret as UTF-8, and sends the digest as
//
//	X-Contio-Signature: sha256=<64 lower-case hex digits>
//
// There is no timestamp and no replay window. Verify the raw body, before
// any JSON parsing: a re-serialised body does not verify.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// Header is the name of the signature header.
const Header = "X-Contio-Signature"

// Prefix precedes the hex digest in the header value.
const Prefix = "sha256="

// Errors Verify returns. Diagnosis of why (wrong format, re-serialised body,
// stray whitespace in the secret) is the doctor's job, not this package's.
var (
	ErrMissing  = errors.New("signature header is missing or empty")
	ErrFormat   = errors.New(`signature is not "sha256=" followed by 64 hex digits`)
	ErrMismatch = errors.New("signature does not match the body")
)

// Digest returns the raw HMAC-SHA256 of body under secret.
func Digest(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

// Sign returns the header value for body: "sha256=" and lower-case hex.
func Sign(secret string, body []byte) string {
	return Prefix + hex.EncodeToString(Digest(secret, body))
}

// Verify checks header against body and secret in constant time. It is
// strict: the prefix must be lower-case "sha256=" and the digest exactly 64
// hex digits (either case), with nothing around it.
func Verify(secret string, body []byte, header string) error {
	if header == "" {
		return ErrMissing
	}
	hexDigest, ok := strings.CutPrefix(header, Prefix)
	if !ok || len(hexDigest) != 2*sha256.Size {
		return ErrFormat
	}
	got, err := hex.DecodeString(hexDigest)
	if err != nil {
		return ErrFormat
	}
	if !hmac.Equal(got, Digest(secret, body)) {
		return ErrMismatch
	}
	return nil
}
