// Settings read once from the environment; nothing secret has a default.
function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value.trim();
}

export const config = {
  port: Number(process.env.PORT ?? 3000),
  clientId: required('CONTIO_CLIENT_ID'),
  clientSecret: required('CONTIO_CLIENT_SECRET'),
  apiKey: required('CONTIO_API_KEY'),
  webhookSecret: required('CONTIO_WEBHOOK_SECRET'),
  redirectUri: process.env.CONTIO_REDIRECT_URI ?? 'http://localhost:3000/auth/callback',
  sessionSecret: required('SESSION_SECRET'),
  tokenHeader: 'Authorization',
  signatureHeader: 'x-contio-signature',
};
