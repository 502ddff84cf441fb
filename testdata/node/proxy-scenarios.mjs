// Drives the official Contio SDK through `contio-doctor proxy` against the
// sandbox, one scenario per run, each with a guide mistake made the way an
// app would make it through the SDK. internal/proxy's TestSDKThroughProxy
// starts the sandbox and the proxy and runs:
//
//   node proxy-scenarios.mjs SCENARIO
//
// with PROXY_URL (the proxy), SANDBOX_URL (the sandbox itself, for its
// control plane: the e-mailed one-time code) and the sandbox app's
// CLIENT_ID, CLIENT_SECRET, API_KEY, REDIRECT_URI, USER_EMAIL.
// It exits non-zero only when the scenario could not be played; the errors
// the mistakes provoke are expected and printed.
import { OAuthClient, PartnerUserClient, ContioPartnerSDK } from '@contio/partner-sdk';

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const proxy = env('PROXY_URL');
const sandbox = env('SANDBOX_URL');
const clientId = env('CLIENT_ID');
const clientSecret = env('CLIENT_SECRET');
const apiKey = env('API_KEY');
const redirectUri = env('REDIRECT_URI');
const email = env('USER_EMAIL');
const scope = ['openid', 'profile', 'meetings:read', 'action-items:read'];

const oauth = new OAuthClient({
  clientId,
  clientSecret,
  redirectUri,
  scope,
  authorizationUrl: `${proxy}/oauth2/authorize`,
  tokenUrl: `${proxy}/oauth2/token`,
});

// expected runs a call the mistake makes fail, and reports how it failed.
async function expected(what, fn) {
  try {
    await fn();
    console.log(`${what}: succeeded`);
  } catch (e) {
    console.log(`${what}: failed as expected (${e.statusCode ?? ''} ${e.code ?? e.message})`);
  }
}

// code signs the test user in through the SDK (the one-time code comes
// from the sandbox's inbox, as the user would read it in their e-mail) and
// grants consent through the JSON consent API, as the app's sign-in page
// does, returning the authorization code.
async function code() {
  const { session } = await oauth.initiatePartnerAuth(email);
  const inbox = await (await fetch(`${sandbox}/_sandbox/inbox`)).json();
  const otp = inbox.messages.find((m) => m.to === email)?.code; // newest first
  if (!otp) throw new Error(`no one-time code in the sandbox inbox: ${JSON.stringify(inbox)}`);
  await oauth.verifyPartnerAuth(email, otp, session);
  await oauth.checkConsent(email);
  const res = await fetch(`${proxy}/oauth2/authorize`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      client_id: clientId, email, redirect_uri: redirectUri, response_type: 'code',
      scope: scope.join(' '), state: 'st4te-sdk', consent: true,
    }),
  });
  const body = await res.json();
  if (!res.ok || !body.code) throw new Error(`consent: ${res.status} ${JSON.stringify(body)}`);
  return body.code;
}

const scenarios = {
  // The guide's happy path: sign-in, code exchange, user and admin calls.
  async healthy() {
    await oauth.exchangeCodeForToken(await code());
    const user = new PartnerUserClient(oauth, { baseURL: proxy });
    await user.getUserProfile();
    await user.getMeetings();
    const { admin } = ContioPartnerSDK.forAdmin({ apiKey, clientId, baseURL: proxy });
    await admin.getApp();
  },
  // forAdmin without clientId: the SDK sends no X-Client-ID.
  async 'admin-missing-client-id'() {
    const { admin } = ContioPartnerSDK.forAdmin({ apiKey, baseURL: proxy });
    await expected('getApp without clientId', () => admin.getApp());
  },
  // The same authorization code exchanged twice (a retried callback).
  async 'code-reused'() {
    const c = await code();
    await oauth.exchangeCodeForToken(c);
    await expected('second exchange of the same code', () => oauth.exchangeCodeForToken(c));
  },
  // A burst over the user-class limit, the SDK retrying 429s (its default).
  async 'burst-retries'() {
    await oauth.exchangeCodeForToken(await code());
    const user = new PartnerUserClient(oauth, { baseURL: proxy, retryDelay: 200 });
    await Promise.all(Array.from({ length: 12 }, () => expected('getUserProfile', () => user.getUserProfile())));
  },
  // The same burst with retries: 0: every 429 is final.
  async 'burst-no-retries'() {
    await oauth.exchangeCodeForToken(await code());
    const user = new PartnerUserClient(oauth, { baseURL: proxy, retries: 0 });
    await Promise.all(Array.from({ length: 12 }, () => expected('getUserProfile', () => user.getUserProfile())));
  },
};

const name = process.argv[2];
if (!scenarios[name]) {
  console.error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
try {
  await scenarios[name]();
} catch (e) {
  console.error(`scenario ${name} could not be played: ${e.statusCode ?? ''} ${e.code ?? ''} ${e.message}`);
  process.exit(1);
}
