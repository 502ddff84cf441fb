import { ContioPartnerSDK } from '@contio/partner-sdk';

const { oauth } = ContioPartnerSDK.forUser({
  clientId: process.env.CONTIO_CLIENT_ID ?? '',
  clientSecret: process.env.CONTIO_CLIENT_SECRET ?? '',
  redirectUri: process.env.CONTIO_REDIRECT_URI || 'https://app.example.com/oauth/callbak', // want: CD2601
  scopes: ['openid', 'profile', 'meetings:read', 'action-items:read'], // want: CD3601
});

export function loginUrl(state: string): string {
  return oauth.getAuthorizationUrl(state, ['openid', 'profile', 'action-items:read']); // want: CD3602
}

export async function exchangeAndRetry(code: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await oauth.exchangeCodeForToken(code); // want: CD5601
    } catch (err: any) {
      if (err.code === 'invalid_grant') { // want: CD3603
        throw err;
      }
    }
  }
  throw new Error('token exchange failed');
}
