import { ContioPartnerSDK } from '@contio/partner-sdk';

const { oauth } = ContioPartnerSDK.forUser({
  clientId: process.env.CONTIO_CLIENT_ID ?? '',
  clientSecret: process.env.CONTIO_CLIENT_SECRET ?? '',
  redirectUri: process.env.CONTIO_REDIRECT_URI || 'https://app.example.com/oauth/callback',
  scope: ['openid', 'profile', 'meetings:read', 'meetings:write', 'action-items:read'],
});

export function loginUrl(state: string): string {
  return oauth.getAuthorizationUrl(state, { loginHint: undefined });
}

export async function exchangeOnce(code: string) {
  try {
    return await oauth.exchangeCodeForToken(code);
  } catch (err) {
    // The OAuth client's errors carry the server's answer in the message only.
    if (err instanceof Error && /invalid_grant/.test(err.message)) {
      throw new Error('the sign-in link expired or was used; start the login again');
    }
    throw err;
  }
}
