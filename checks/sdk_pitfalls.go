package checks

// What the official SDK (@contio/partner-sdk 1.9.0) does with code copied
// from Contio's own docs samples, as fix texts add it: each sample fails
// silently, so a fix that only repeats the guide's advice changes nothing.

// sdkScopeFix: the docs pass scopes in ways SDK 1.9.0 ignores.
const sdkScopeFix = " With SDK 1.9.0, the scopes go in the OAuth client's `scope` option, an array. A `scopes:` key, as in the " +
	"authentication page's sample, is ignored, and so is a scope array passed as getAuthorizationUrl's second argument (that " +
	"argument takes {loginHint}); both leave the URL asking for the default openid profile meetings:read meetings:write. " +
	"Check the scope parameter of the URL the SDK returns."

// sdkInvalidGrantFix: SDK 1.9.0's OAuth errors carry no code.
const sdkInvalidGrantFix = " With SDK 1.9.0, a failed code exchange or refresh throws a plain Error whose code is undefined, so " +
	"`error.code === 'invalid_grant'` never matches: recognise it by the HTTP status in the message (\"Request failed with " +
	"status code 400\" after \"Failed to exchange code for token\" or \"Failed to refresh token\"), or call /oauth2/token " +
	"with your own HTTP client to read the body's error code."

// sdkRateLimitFix: SDK 1.9.0's errors carry no response headers.
const sdkRateLimitFix = " With SDK 1.9.0, a 429 reaches your code as a ContioAPIError without the response headers, so a " +
	"backoff built on x-ratelimit-reset cannot work through it: rely on the SDK's own retry (it waits Retry-After), read " +
	"error.retryAfter, or make the call with an HTTP client that exposes the headers."
