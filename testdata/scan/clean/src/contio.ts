import axios from 'axios';
import { readFileSync } from 'fs';

const AUTH = 'https://auth.contio.ai';
const API = 'https://api.contio.ai';
const clientId = process.env.CONTIO_CLIENT_ID ?? '';
const clientSecret = readFileSync('/run/secrets/contio_client_secret', 'utf8').trim();
const apiKey = process.env.CONTIO_API_KEY ?? '';

// Credentials come from the environment only.
const WEBHOOK_SECRET = process.env.CONTIO_WEBHOOK_SECRET ?? '';

export function basicWithFileSecret(): string {
  return 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
}

export function basicWithColon(): string {
  return `Basic ${Buffer.from(`${clientId}:${process.env.CONTIO_CLIENT_SECRET}`).toString('base64')}`;
}

export async function refreshWithBasic(refreshToken: string) {
  return fetch(`${AUTH}/oauth2/token`, {
    method: 'POST',
    headers: { Authorization: basicWithFileSecret(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
}

export async function meetingsWithBearer(accessToken: string) {
  return axios.get(`${API}/v1/partner/user/meetings`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
}

export async function workflowsWithApiKey() {
  return fetch(`${API}/v1/partner/admin/workflow-templates`, {
    headers: { 'X-API-Key': apiKey, 'X-Client-ID': clientId },
  });
}

export async function deliveriesWithClientId() {
  return axios.get(`${API}/v1/partner/admin/webhook-deliveries`, { headers: { 'X-API-Key': apiKey, 'X-Client-ID': clientId } });
}

export async function executeNextStep(accessToken: string, meetingId: string, stepId: string) {
  return fetch(`${API}/v1/partner/user/meetings/${meetingId}/next-steps/${stepId}/execute`, { method: 'POST', headers: { Authorization: `Bearer ${accessToken}` } });
}

function retryDelayMs(res: Response, attempt: number): number {
  const retryAfter = Number(res.headers.get('Retry-After'));
  return Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000 * 2 ** attempt;
}

export async function getWithRetry(url: string, accessToken: string, attempt = 0): Promise<Response> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (res.status === 429 && attempt < 3) {
    const retryAfter = retryDelayMs(res, attempt);
    await new Promise((resolve) => setTimeout(resolve, retryAfter));
    return getWithRetry(url, accessToken, attempt + 1);
  }
  return res;
}

export async function listMeetings(accessToken: string) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${API}/v1/partner/user/meetings`, { headers: { Authorization: `Bearer ${accessToken}` } });
    if (res.status === 429 && attempt < 5) {
      const wait = Number(res.headers.get('retry-after') ?? '1') * 1000;
      await new Promise((resolve) => setTimeout(resolve, wait));
      continue;
    }
    return res.json();
  }
}

export const webhookSecretForTests = WEBHOOK_SECRET;
