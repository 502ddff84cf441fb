import axios, { AxiosError, AxiosRequestConfig } from 'axios';
import { config } from '../config';

const api = axios.create({
  baseURL: 'https://api.contio.ai',
  timeout: 30_000,
  headers: { 'X-API-Key': config.apiKey, 'X-Client-ID': config.clientId },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Retries only what is safe to retry, waits as long as Contio asks.
export async function withRateLimitRetry<T>(request: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      const status = (err as AxiosError).response?.status;
      if (status === 429 && attempt < attempts) {
        const retryAfter = Number((err as AxiosError).response?.headers['retry-after'] ?? 0);
        const jitter = Math.random() * 250;
        await sleep(retryAfter > 0 ? retryAfter * 1000 : 2 ** attempt * 1000 + jitter);
        continue;
      }
      throw err;
    }
  }
}

export async function listWorkflows(options: AxiosRequestConfig = {}) {
  return withRateLimitRetry(() => api.get('/v1/partner/admin/workflow-templates', options));
}

export async function webhookDeliveries() {
  return withRateLimitRetry(() => api.get('/v1/partner/admin/webhook-deliveries'));
}

export async function userMeetings(accessToken: string) {
  const res = await fetch('https://api.contio.ai/v1/partner/user/meetings?limit=50', {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
  });
  if (!res.ok) {
    throw new Error(`meetings: ${res.status}`);
  }
  return res.json();
}

export function basicAuthorization(): string {
  const pair = `${config.clientId}:${config.clientSecret}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

export async function introspect(token: string) {
  const res = await fetch('https://auth.contio.ai/oauth2/introspect', {
    method: 'POST',
    headers: {
      Authorization: basicAuthorization(),
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }),
  });
  return res.json() as Promise<{ active: boolean; scope?: string }>;
}
