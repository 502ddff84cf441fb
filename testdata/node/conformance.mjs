// Drives every HTTP method of the official @contio/partner-sdk 1.9.0 against
// a contio-doctor sandbox, checking that what a partner writes is what it
// reads back. sandbox/conformance_test.go starts the sandbox, runs this
// script and judges its JSON report; it also validates every response the
// sandbox gave against the OpenAPI spec.
//
// Input (environment): SANDBOX_URL, CLIENT_ID, CLIENT_SECRET, API_KEY,
// REDIRECT_URI, USER_EMAIL. Output (stdout): one JSON object
// {results: [{name, ok, error}], methods: {Class: [names]}, called: [names]}.
import sdk from '@contio/partner-sdk';

const { OAuthClient, ApiKeyClient, PartnerUserClient, PartnerAdminClient } = sdk;
const env = (k) => {
  if (!process.env[k]) throw new Error(`${k} is not set`);
  return process.env[k];
};
const base = env('SANDBOX_URL');
const clientId = env('CLIENT_ID');
const email = env('USER_EMAIL');
const redirectUri = env('REDIRECT_URI');
let clientSecret = env('CLIENT_SECRET');
let apiKey = env('API_KEY');

// Methods that send no request: they are not part of the HTTP surface.
const local = new Set(['constructor', 'addAuthHeaders', 'parseTokenResponse', 'getAccessToken', 'setTokens',
  'isTokenExpired', 'getAuthorizationUrl', 'ensureValidToken']);
const methods = {};
for (const C of [OAuthClient, PartnerUserClient, PartnerAdminClient]) {
  methods[C.name] = Object.getOwnPropertyNames(C.prototype).filter((m) => !local.has(m));
}

// Every SDK call goes through a proxy that records the method's name.
const called = new Set();
const track = (obj, cls) => new Proxy(obj, {
  get(target, prop, recv) {
    const v = Reflect.get(target, prop, recv);
    if (typeof v === 'function' && methods[cls].includes(prop)) {
      return (...args) => { called.add(`${cls}.${prop}`); return v.apply(target, args); };
    }
    return typeof v === 'function' ? v.bind(target) : v;
  },
});

const results = [];
let current = '';
async function step(name, fn) {
  current = name;
  try {
    await fn();
    results.push({ name, ok: true });
  } catch (e) {
    const detail = e && e.statusCode ? ` (HTTP ${e.statusCode} ${e.code})` : '';
    results.push({ name, ok: false, error: `${e && e.message ? e.message : e}${detail}` });
  }
}
function expect(cond, what) {
  if (!cond) throw new Error(`${current}: ${what}`);
}
// rejects awaits p and expects it to fail with the HTTP status.
async function rejects(p, status, what) {
  try {
    await p;
  } catch (e) {
    expect(e.statusCode === status, `${what}: want HTTP ${status}, got ${e.statusCode} ${e.message}`);
    return;
  }
  throw new Error(`${current}: ${what}: want HTTP ${status}, the call succeeded`);
}
async function control(method, path, body) {
  const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!r.ok) throw new Error(`control ${method} ${path}: ${r.status}`);
  return r.status === 204 ? null : r.json();
}

const scope = ['openid', 'email', 'profile', 'meetings:read', 'meetings:write', 'action-items:read', 'action-items:write',
  'calendar:read', 'calendar:write', 'context:read', 'context:write', 'chat:read', 'chat:write',
  'toolkits:read', 'toolkits:write', 'workflows:read', 'workflows:write'];
const oauthConfig = (secret) => ({ clientId, clientSecret: secret, redirectUri, scope,
  authorizationUrl: `${base}/oauth2/authorize`, tokenUrl: `${base}/oauth2/token` });
const oauth = track(new OAuthClient(oauthConfig(clientSecret)), 'OAuthClient');
const keys = new ApiKeyClient({ apiKey, clientId });
const clientConfig = { baseURL: base, retries: 0, timeout: 10000 };
const user = track(new PartnerUserClient(oauth, clientConfig), 'PartnerUserClient');
const admin = track(new PartnerAdminClient(keys, clientConfig), 'PartnerAdminClient');
const ids = {};

// --- OAuth: the passwordless sign-in, consent and the token grants.
await step('oauth sign-in', async () => {
  const url = new URL(oauth.getAuthorizationUrl('state-1'));
  expect(url.searchParams.get('client_id') === clientId, 'authorization URL names the client');
  const info = await oauth.getPartnerInfo();
  expect(info && typeof info === 'object', 'partner info is an object');
  const scopes = await oauth.getAvailableScopes();
  expect(Array.isArray(scopes) && scopes.length > 0, 'scopes are listed');
  const init = await oauth.initiatePartnerAuth(email, 'Ada Lovelace');
  const inbox = await control('GET', '/_sandbox/inbox');
  const otp = inbox.messages.find((m) => m.to === email);
  expect(otp && otp.code, 'an OTP reached the inbox');
  await oauth.verifyPartnerAuth(email, otp.code, init.session);
  await oauth.checkConsent(email);
  // The SDK has no consent call: the browser's consent step, as a request.
  const consent = await fetch(`${base}/oauth2/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: clientId, email, redirect_uri: redirectUri, response_type: 'code', scope: scope.join(' '), state: 'state-1', consent: true }) });
  const { code } = await consent.json();
  expect(code, `consent answered a code (HTTP ${consent.status})`);
  const tokens = await oauth.exchangeCodeForToken(code);
  expect(tokens.accessToken && tokens.refreshToken, 'the exchange gives access and refresh tokens');
  expect(oauth.getAccessToken() === tokens.accessToken && !oauth.isTokenExpired(), 'the client holds the new token');
  const who = await oauth.getUserInfo();
  expect(who.email === email, 'userInfo names the user');
  const intro = await oauth.introspectToken(tokens.accessToken);
  expect(intro.active === true, 'the access token introspects active');
  const refreshed = await oauth.refreshAccessToken();
  expect(refreshed.accessToken !== tokens.accessToken, 'refresh rotates the access token');
  expect((await oauth.introspectToken(tokens.refreshToken)).active === false, 'the used refresh token is spent');
  const cc = await oauth.getClientCredentialsToken(['openid']);
  expect(cc.accessToken, 'client_credentials gives a token');
  await oauth.revokeToken(cc.accessToken);
  expect((await oauth.introspectToken(cc.accessToken)).active === false, 'a revoked token introspects inactive');
  oauth.setTokens(refreshed);
  await user.ensureValidToken?.();
});

// --- User API: profile, meetings, participants, agenda.
await step('profile and meetings', async () => {
  const me = await user.getUserProfile();
  expect(me.email === email, 'profile is the signed-in user');
  ids.workspace = me.workspace_id;
  const page = await user.getMeetings({ limit: 2 });
  expect(page.items.length === 2 && page.total >= 3, 'meetings paginate');
  const all = await user.getAllMeetings();
  expect(all.length === page.total, 'getAllMeetings returns every meeting');
  const m = await user.createMeeting({ title: 'Conformance', start_time: '2026-02-01T10:00:00Z', end_time: '2026-02-01T11:00:00Z' });
  ids.meeting = m.id;
  await user.updateMeeting(m.id, { title: 'Conformance (renamed)' });
  expect((await user.getMeeting(m.id)).title === 'Conformance (renamed)', 'an update is read back');
});

await step('participants and agenda', async () => {
  const p = await user.addMeetingParticipant(ids.meeting, { email: 'bob@example.com', name: 'Bob', role: 'VIEWER' });
  expect((await user.getMeetingParticipants(ids.meeting)).items.some((x) => x.id === p.id), 'an added participant is listed');
  await user.removeMeetingParticipant(ids.meeting, p.id);
  expect(!(await user.getMeetingParticipants(ids.meeting)).items.some((x) => x.id === p.id), 'a removed participant is gone');
  const a = await user.createAgendaItem(ids.meeting, { title: 'Intro', item_type: 'DISCUSSION' });
  expect(typeof a.sequence === 'string', 'sequence is a string');
  await user.updateAgendaItem(ids.meeting, a.id, { status: 'completed' });
  const items = (await user.getMeetingAgendaItems(ids.meeting)).items;
  expect(items.find((x) => x.id === a.id)?.status === 'completed', 'an agenda update is read back');
  await user.deleteAgendaItem(ids.meeting, a.id);
  expect(!(await user.getMeetingAgendaItems(ids.meeting)).items.some((x) => x.id === a.id), 'a deleted agenda item is gone');
});

await step('action items', async () => {
  const a = await user.createActionItem({ title: 'Send notes', due_date: '2026-02-02', meeting_id: ids.meeting });
  await user.updateActionItem(a.id, { is_completed: true });
  expect((await user.getActionItem(a.id)).is_completed === true, 'completion is read back');
  expect((await user.getActionItems({ meeting_id: ids.meeting })).items.some((x) => x.id === a.id), 'the item is listed');
  expect((await user.getAllActionItems()).some((x) => x.id === a.id), 'getAllActionItems finds it');
  await user.deleteActionItem(a.id);
  await rejects(user.getActionItem(a.id), 404, 'a deleted action item');
});

await step('calendar', async () => {
  const range = { start: '2026-01-01T00:00:00Z', end: '2026-03-01T00:00:00Z' };
  const evs = await user.getCalendarEvents(range);
  expect(evs.items.length >= 2, 'events in range');
  expect(typeof evs.items[0].organizer === 'object' && typeof evs.items[0].attendees[0] === 'object', 'organizer and attendees are objects');
  expect((await user.getAllCalendarEvents(range)).length === evs.total, 'getAllCalendarEvents returns every event');
  const [e0, e1] = evs.items;
  const made = await user.createMeetingFromCalendarEvent(e0.id);
  expect(made.created === true && made.meeting.calendar_event_id === e0.id, 'the new meeting links the event');
  await user.linkCalendarEvent(ids.meeting, { calendar_event_id: e1.id });
  expect((await user.getCalendarEvent(e1.id)).meeting_id === ids.meeting, 'a link is read back on the event');
});

await step('context documents', async () => {
  const body = 'name,owner\nlaunch,ada\n';
  const file = new Blob([body], { type: 'text/csv' });
  const up = await user.uploadMeetingContextDocument(ids.meeting, { file, source_format: 'csv', title: 'Plan', context_type: 'notes' });
  expect((await user.getMeetingContextDocument(ids.meeting, up.id)).title === 'Plan', 'the upload is read back');
  expect((await user.getMeetingContextDocuments(ids.meeting)).items.some((x) => x.id === up.id), 'the upload is listed');
  expect((await user.getAllMeetingContextDocuments(ids.meeting)).length === 1, 'getAll finds one document');
  const dl = await user.downloadMeetingContextDocumentContent(ids.meeting, up.id);
  expect(Buffer.from(dl.data).toString() === body, 'the content is the uploaded bytes');
  expect(dl.filename === 'blob' && dl.size === body.length, `filename and size come from the headers (${dl.filename}, ${dl.size})`);
  await user.deleteMeetingContextDocument(ids.meeting, up.id);
  await rejects(user.getMeetingContextDocument(ids.meeting, up.id), 404, 'a deleted document');
});

await step('next steps, action buttons, transcript', async () => {
  const steps = await user.getMeetingNextSteps(ids.meeting);
  expect(steps.items.length > 0, 'next steps are listed');
  ids.nextStep = steps.items[0].id;
  const run = await user.executeNextStep(ids.meeting, ids.nextStep, {});
  const res = await user.getNextStepResult(run.result_id);
  expect(res.generated_text === run.generated_text, 'the result is read back');
  const buttons = await user.getMeetingActionButtons(ids.meeting);
  const t = await user.triggerActionButton(ids.meeting, buttons.items[0].id, { next_step_id: ids.nextStep, result_id: run.result_id });
  expect(t.invocation_id, 'a trigger answers an invocation id');
  const srt = await user.exportMeetingTranscript(ids.meeting, { format: 'srt' });
  expect(Buffer.from(srt).toString().includes('-->'), 'the transcript is SRT');
});

await step('chat', async () => {
  const s = await user.createChatSession({ message: 'What was decided?', meeting_id: ids.meeting });
  expect(s.current_turn && s.current_turn.role === 'user', 'the first turn is the message');
  const sent = await user.sendChatMessage(s.id, { message: 'And who owns it?' });
  expect((await user.getChatTurn(s.id, sent.turn.id)).content === 'And who owns it?', 'a sent message is read back');
  const full = await user.getChatSession(s.id);
  expect(full.turns.items.length === 4 && full.turn_count === 4, 'both exchanges are in the session');
  expect((await user.getChatSessions({ meeting_id: ids.meeting })).items.some((x) => x.id === s.id), 'the session is listed');
});

await step('workflow templates and runs', async () => {
  const tpls = await admin.listWorkflowTemplates();
  expect(tpls.items.length > 0, 'workflow templates are listed');
  expect((await admin.getWorkflowTemplate(tpls.items[0].id)).spec, 'a template has its spec');
  const r = await user.createWorkflowRun({ workflow_template_id: tpls.items[0].id, originating_type: 'meeting', originating_id: ids.meeting });
  expect(r.status === 'active', 'a new run is active');
  expect((await user.listWorkflowRuns({ status: 'active' })).items.some((x) => x.id === r.id), 'the run is listed');
  await control('POST', '/_sandbox/clock/advance', { by: '2m' });
  expect((await user.getWorkflowRun(r.id)).status === 'completed', 'the run completes as time passes');
});

// --- Admin API.
await step('app and webhooks', async () => {
  const app = await admin.getApp();
  expect(app.client_id === clientId, 'the app is the caller');
  await admin.updateApp({ name: 'Conformance App' });
  expect((await admin.getApp()).name === 'Conformance App', 'an app update is read back');
  await admin.updateAppStatus({ status: 'active' });
  await admin.updateWebhookStatus({ enabled: true });
  await admin.setWebhookFilter({ type: 'exclude', events: ['session.expired'] });
  expect((await admin.getApp()).webhook_filter?.type === 'exclude', 'the filter is read back');
  const cleared = await admin.removeWebhookFilter();
  expect(cleared === undefined || cleared.webhook_filter == null, 'the filter is gone');
  const d = await admin.getWebhookDeliveries({ limit: 5 });
  expect(d.deliveries.length > 0, 'the writes above produced deliveries');
  const one = await admin.getWebhookDelivery(d.deliveries[0].id);
  expect(one.id === d.deliveries[0].id, 'one delivery is read');
  const retry = await admin.retryWebhookDelivery(one.id);
  expect(retry.delivery_id === one.id && retry.retry_scheduled === true, 'a retry is scheduled');
});

await step('automations', async () => {
  const a = await admin.createAutomation({ name: 'Notify', trigger_type: 'action_item_created', actions: [{ type: 'webhook', config: { url: 'https://example.com' } }] });
  await admin.updateAutomation(a.id, { status: 'inactive' });
  expect((await admin.getAutomation(a.id)).status === 'inactive', 'an automation update is read back');
  expect((await admin.getAutomations()).items.some((x) => x.id === a.id), 'the automation is listed');
  await admin.deleteAutomation(a.id);
  await rejects(admin.getAutomation(a.id), 404, 'a deleted automation');
});

await step('templates', async () => {
  const t = await admin.createTemplate({ name: 'Partner kickoff', description: 'First call' });
  await admin.updateTemplate(t.id, { description: 'First customer call' });
  expect((await admin.getTemplate(t.id)).description === 'First customer call', 'a template update is read back');
  expect((await admin.getTemplates()).items.some((x) => x.id === t.id), 'the template is listed');
  await admin.addTemplateNextStep(t.id, { next_step_id: ids.nextStep, autopilot: false });
  await admin.updateTemplateNextStep(t.id, ids.nextStep, { autopilot: true });
  expect((await admin.getTemplateNextSteps(t.id)).items[0]?.autopilot === true, 'the next step link is read back');
  const seen = (await user.getMeetingTemplates()).items.find((x) => x.id === t.id);
  expect(seen?.ownership_type === 'PARTNER', 'users see the partner template');
  expect((await user.getMeetingTemplate(t.id)).name === 'Partner kickoff', 'one meeting template is read');
  await admin.removeTemplateNextStep(t.id, ids.nextStep);
  expect((await admin.getTemplateNextSteps(t.id)).items.length === 0, 'a removed link is gone');
  await admin.deleteTemplate(t.id);
  await rejects(admin.getTemplate(t.id), 404, 'a deleted template');
});

const manifest = (label) => ({
  toolkit_prompt: `Prompt ${label}`,
  next_steps: [{ id: 'ns-1', spec: { name: `Recap ${label}`, type: 'ai', ai_prompt: 'Summarise.' } }],
  action_buttons: [{ id: 'ab-1', spec: { name: 'Copy', content_format: 'markdown', delivery_mechanism: 'clipboard' } }],
});
await step('toolkits and versions', async () => {
  const created = await admin.createToolkit({ name: 'Conformance kit', slug: 'conformance-kit', version: '1.0.0', manifest: manifest('v1') });
  const tk = created.toolkit;
  ids.toolkit = tk.id;
  expect(created.validation.valid === true, 'the manifest is valid');
  await admin.updateToolkit(tk.id, { description: 'Kit for tests' });
  expect((await admin.getToolkit(tk.id)).description === 'Kit for tests', 'a toolkit update is read back');
  expect((await admin.getToolkits()).items.some((x) => x.id === tk.id), 'the toolkit is listed');
  const v2 = (await admin.createToolkitVersion(tk.id, { version_label: '2.0.0', manifest: manifest('v2') })).version;
  expect(v2.status === 'DRAFT', 'a new version is a draft');
  await admin.updateToolkitVersion(tk.id, v2.id, { changelog: 'Second recap' });
  expect((await admin.getToolkitVersion(tk.id, v2.id)).changelog === 'Second recap', 'a draft update is read back');
  await admin.publishToolkitVersion(tk.id, v2.id, { propagation: 'normal' });
  expect((await admin.getToolkit(tk.id)).version === '2.0.0', 'publishing makes the version current');
  const versions = await admin.listToolkitVersions(tk.id);
  const v1 = versions.find((v) => v.version_label === '1.0.0');
  expect(v1?.status === 'DEPRECATED', 'the earlier version is deprecated');
  await admin.republishToolkitVersion(tk.id, v1.id);
  expect((await admin.getToolkit(tk.id)).version === '1.0.0', 'republishing makes the old version current');
  const v3 = (await admin.createToolkitVersion(tk.id, { version_label: '3.0.0', manifest: manifest('v3') })).version;
  await admin.discardToolkitVersion(tk.id, v3.id);
  await rejects(admin.getToolkitVersion(tk.id, v3.id), 404, 'a discarded version');
  const exp = await admin.exportToolkit(tk.id);
  expect(exp.manifest.next_steps.length === 1 && exp.metadata.slug === 'conformance-kit', 'the export is the manifest');
  const ent = await admin.exportEntities({ next_step_ids: [ids.nextStep], name: 'Picked' });
  expect(ent.manifest.next_steps.length === 1, 'exportEntities builds a manifest');
});

await step('toolkit installation', async () => {
  expect((await user.getToolkits()).items.some((x) => x.id === ids.toolkit), 'users see the toolkit');
  const inst = await user.installToolkit(ids.toolkit, {});
  expect(inst.workspace_id === ids.workspace && inst.entities.next_steps['ns-1'], 'the install maps the manifest ids');
  expect((await user.getToolkit(ids.toolkit)).installation?.id === inst.id, 'the installation is read back');
  const ws = await admin.getWorkspaces();
  expect(ws.items.some((w) => w.workspace_id === ids.workspace), 'the user workspace is connected');
  const active = await admin.getToolkitInstallations(ids.toolkit);
  expect(active.summary.active === 1, 'one active installation');
  await user.uninstallToolkit(ids.toolkit);
  expect(!(await user.getToolkit(ids.toolkit)).installation, 'an uninstall is read back');
  expect((await admin.getToolkitInstallations(ids.toolkit)).summary.opted_out === 1, 'the partner sees the opt-out');
  await admin.deleteToolkit(ids.toolkit);
  await rejects(admin.getToolkit(ids.toolkit), 404, 'a deleted toolkit');
});

await step('identity provider', async () => {
  await rejects(admin.getIdPConfig(), 404, 'no IdP yet');
  await admin.createIdPConfig({ name: 'Okta', discovery_url: 'https://idp.example.com/.well-known/openid-configuration',
    idp_client_id: 'idp-client', idp_client_secret: 'idp-secret', mode: 'strict', allowed_email_domains: ['example.com'] });
  await admin.updateIdPConfig({ name: 'Okta (prod)' });
  const cfg = await admin.getIdPConfig();
  expect(cfg.name === 'Okta (prod)' && !('idp_client_secret' in cfg), 'an IdP update is read back without the secret');
  const ch = await admin.initiateIdpDomainVerification('example.com');
  expect(ch.status === 'pending' && ch.dns_record_name === '_contio-challenge.example.com', 'a DNS challenge is issued');
  expect((await admin.checkIdpDomainVerification('example.com')).status === 'pending', 'without the record it stays pending');
  await control('POST', '/_sandbox/dns', { name: ch.dns_record_name, value: ch.dns_record_value });
  expect((await admin.checkIdpDomainVerification('example.com')).status === 'verified', 'with the record it verifies');
  expect((await admin.getIdpDomainVerification('example.com')).status === 'verified', 'verification is read back');
  await admin.deleteIdPConfig();
  await rejects(admin.getIdPConfig(), 404, 'a deleted IdP');
});

await step('credential rotation', async () => {
  const before = await admin.getCredentialStatus();
  expect(before.api_key.status === 'active', 'credentials start active');
  const key = await admin.rotateAPIKey({ confirmation_token: 'rotate', reason: 'conformance', grace_period_hours: 1 });
  await admin.getApp(); // still the old key: the grace period covers it
  keys.updateApiKey(key.new_credential);
  await admin.getApp();
  const sec = await admin.rotateClientSecret({ confirmation_token: 'rotate', grace_period_hours: 1 });
  const fresh = track(new OAuthClient(oauthConfig(sec.new_credential)), 'OAuthClient');
  expect((await fresh.introspectToken(oauth.getAccessToken())).active === true, 'the new client secret works');
  expect((await oauth.introspectToken(oauth.getAccessToken())).active === true, 'the old one works in its grace period');
  await admin.rollbackCredential('client-secret', { rollback_token: sec.rollback_token, reason: 'conformance' });
  await fresh.introspectToken(oauth.getAccessToken()).then(() => { throw new Error('the rolled-back secret still works'); }, () => {});
  expect((await oauth.introspectToken(oauth.getAccessToken())).active === true, 'the restored secret works');
  const wh = await admin.rotateWebhookSecret({ confirmation_token: 'rotate' });
  expect(wh.new_credential && !wh.rollback_token, 'a webhook secret rotates at once, without rollback');
  const hist = await admin.getCredentialHistory({ limit: 10 });
  expect(hist.events.length === 4 && hist.events[0].action === 'rotated', `history lists the four events (${hist.events.length})`);
  await control('POST', '/_sandbox/clock/advance', { by: '61m' });
  const stale = new PartnerAdminClient(new ApiKeyClient({ apiKey, clientId }), clientConfig);
  await rejects(stale.getApp(), 401, 'the old API key after its grace period');
  await admin.getApp();
});

await step('connections', async () => {
  const list = await admin.getUserConnections({ status: 'active' });
  const c = list.items.find((x) => x.user_email === email);
  expect(c, 'the signed-in user is connected');
  expect((await admin.getUserConnection(c.id)).id === c.id, 'one connection is read');
  await admin.revokeUserConnection(c.id);
  expect((await admin.getUserConnection(c.id)).status === 'revoked', 'a revocation is read back');
  await rejects(user.getUserProfile(), 401, "the revoked user's token");
});

const all = Object.entries(methods).flatMap(([cls, ms]) => ms.map((m) => `${cls}.${m}`));
console.log(JSON.stringify({ results, methods: all, called: [...called].sort() }));
