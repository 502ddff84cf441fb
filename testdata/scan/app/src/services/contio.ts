import { ContioPartnerSDK } from '@contio/partner-sdk';
import { config } from '../config';

export const SCOPES = ['openid', 'profile', 'meetings:read', 'meetings:write', 'action-items:read'];

export const { oauth, user } = ContioPartnerSDK.forUser({
  clientId: config.clientId,
  clientSecret: config.clientSecret,
  redirectUri: config.redirectUri,
  scope: SCOPES,
});

export const { admin } = ContioPartnerSDK.forAdmin({
  apiKey: config.apiKey,
  clientId: config.clientId,
});

export async function recentMeetings(limit = 20) {
  const page = await user.getMeetings({ limit });
  return page.items;
}

export async function openActionItems() {
  return user.getActionItems({ status: 'open' });
}

export async function deliveries() {
  return admin.getWebhookDeliveries();
}
