// Records the browser sign-in through `contio-doctor sandbox` as HAR files,
// with Playwright driving Debian's Chromium (recordHar): one capture per
// scenario, each a real browser's HAR of a guide mistake (or none).
//
//   node testdata/har/record/record.mjs CONFIG.json
//
// CONFIG is written by the Go test that asks for a re-recording
// (checks/har_record_test.go, CONTIO_RECORD_HAR=1):
//   {"sandbox": "http://127.0.0.1:PORT", "clientId": "...", "redirectUri": "...",
//    "outDir": "...", "chromium": "/usr/bin/chromium", "scenarios": ["healthy", ...]}
// Page assets are not recorded (the sign-in pages have none but the
// favicon), so each capture stays a few kilobytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'testdata/node/package.json'));
const { chromium } = require('playwright-core');

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const scopes = 'openid profile meetings:read action-items:read';

function authorizeURL({ clientId = cfg.clientId, redirectUri = cfg.redirectUri } = {}) {
  const q = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: scopes, state: 'st-rec-1' });
  return `${cfg.sandbox}/oauth2/authorize?${q}`;
}

// The control plane is called from Node, not the browser: it is not in the capture.
async function control(method, path, body) {
  const r = await fetch(cfg.sandbox + path, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}
async function latestOTP(email) {
  const inbox = await control('GET', '/_sandbox/inbox');
  const msgs = inbox.messages || []; // newest first
  if (!msgs.length) throw new Error('no OTP in the sandbox inbox');
  return msgs[0].code;
}
const advance = (by) => control('POST', '/_sandbox/clock/advance', { by });

async function signIn(page, email) {
  await page.fill('#email', email);
  await Promise.all([page.waitForSelector('#code'), page.click('#send-code')]);
}
async function enterCode(page, code, waitFor) {
  await page.fill('#code', code);
  await Promise.all([page.waitForSelector(waitFor), page.click('#verify')]);
}

const scenarios = {
  async healthy(page) {
    await page.goto(authorizeURL());
    await signIn(page, 'rec-healthy@example.com');
    await enterCode(page, await latestOTP(), '#allow');
    await Promise.all([page.waitForSelector('#connected'), page.click('#allow')]);
  },
  async 'redirect-uri-not-registered'(page) {
    await page.goto(authorizeURL({ redirectUri: cfg.redirectUri.replace('/callback', '/oauth/callback') }));
    await page.waitForSelector('#error-code');
  },
  async 'client-id-typo'(page) {
    const typo = cfg.clientId.slice(0, -1) + (cfg.clientId.endsWith('0') ? '1' : '0');
    await page.goto(authorizeURL({ clientId: typo }));
    await page.waitForSelector('#error-code');
  },
  async 'otp-wrong-then-right'(page) {
    await page.goto(authorizeURL());
    await signIn(page, 'rec-wrong@example.com');
    const code = await latestOTP();
    const wrong = code === '000000' ? '111111' : '000000';
    await enterCode(page, wrong, '.error');
    await enterCode(page, code, '#allow');
    await Promise.all([page.waitForSelector('#connected'), page.click('#allow')]);
  },
  async 'otp-expired'(page) {
    await page.goto(authorizeURL());
    await signIn(page, 'rec-expired@example.com');
    const code = await latestOTP();
    await advance('3m30s');
    await enterCode(page, code, '.error');
  },
  async 'session-expired-before-consent'(page) {
    await page.goto(authorizeURL());
    await signIn(page, 'rec-session@example.com');
    await enterCode(page, await latestOTP(), '#allow');
    await advance('31m');
    await Promise.all([page.waitForSelector('#error-code'), page.click('#allow')]);
  },
  async 'scope-unticked'(page) {
    await page.goto(authorizeURL());
    await signIn(page, 'rec-scope@example.com');
    await enterCode(page, await latestOTP(), '#allow');
    await page.uncheck('#scope-action-items-read');
    await Promise.all([page.waitForSelector('#connected'), page.click('#allow')]);
  },
};

const browser = await chromium.launch({
  executablePath: cfg.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const name of cfg.scenarios) {
    const run = scenarios[name];
    if (!run) throw new Error(`unknown scenario ${name}`);
    const context = await browser.newContext({
      recordHar: { path: join(cfg.outDir, `chromium-${name}.har`), mode: 'full', content: 'embed', urlFilter: (u) => !u.endsWith('/favicon.ico') },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    await run(page);
    await context.close(); // writes the HAR
    console.log(`recorded chromium-${name}.har`);
  }
} finally {
  await browser.close();
}
