import axios from 'axios';
import { readFileSync } from 'fs';

const AUTH = 'https://auth.contio.ai';
const API = 'https://api.contio.ai';
const clientId = process.env.CONTIO_CLIENT_ID ?? '';
const clientSecret = readFileSync('/run/secrets/contio_client_secret', 'utf8');
const apiKey = process.env.CONTIO_API_KEY ?? '';

// Credentials written into the code.
const WEBHOOK_SECRET = 'whsec_7Hq2LmX9pR4tV8nB3cZ6'; // want: CD1604

export function basicWithFileSecret(): string {
  return 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64'); // want: CD1601
}

export function basicNoColon(): string {
  return `Basic ${Buffer.from(`${clientId}${process.env.CONTIO_CLIENT_SECRET}`).toString('base64')}`; // want: CD1602
}

export function pairAsBearer(): string {
  return `Bearer ${Buffer.from(`${clientId}:${process.env.CONTIO_CLIENT_SECRET}`).toString('base64')}`; // want: CD1603
}

export async function refreshWithBearer(accessToken: string, refreshToken: string) {
  return fetch(`${AUTH}/oauth2/token`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/x-www-form-urlencoded' }, // want: CD4601
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
}

export async function meetingsWithApiKey() {
  return axios.get(`${API}/v1/partner/user/meetings`, {
    headers: { 'X-API-Key': apiKey, 'X-Client-ID': clientId }, // want: CD4602
  });
}

export async function workflowsWithBearer(accessToken: string) {
  return fetch(`${API}/v1/partner/admin/workflow-templates`, {
    headers: { Authorization: `Bearer ${accessToken}`, 'X-Client-ID': clientId }, // want: CD4603
  });
}

export async function deliveriesWithoutClientId() {
  return axios.get(`${API}/v1/partner/admin/webhook-deliveries`, { headers: { 'X-API-Key': apiKey } }); // want: CD4604
}

export async function executeNextStep(accessToken: string, meetingId: string, stepId: string) {
  return fetch(`${API}/v1/partner/user/meetings/${meetingId}/next-steps/${stepId}/execute`, { headers: { Authorization: `Bearer ${accessToken}` } }); // want: CD4605
}

export async function getWithRetry(url: string, accessToken: string): Promise<Response> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (res.status === 429) { // want: CD5602
    return getWithRetry(url, accessToken);
  }
  return res;
}

export async function listMeetings(accessToken: string) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${API}/v1/partner/user/meetings`, { headers: { Authorization: `Bearer ${accessToken}` } });
    if (res.status === 429 && attempt < 5) { // want: CD5603
      await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
      continue;
    }
    return res.json();
  }
}

export const webhookSecretForTests = WEBHOOK_SECRET;
