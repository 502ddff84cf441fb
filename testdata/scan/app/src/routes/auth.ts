import crypto from 'crypto';
import { Router, type Request, type Response } from 'express';
import { oauth } from '../services/contio';

export const authRouter = Router();

authRouter.get('/login', (req: Request, res: Response) => {
  const state = crypto.randomBytes(16).toString('hex');
  req.session.state = state;
  res.redirect(oauth.getAuthorizationUrl(state));
});

authRouter.get('/callback', async (req: Request, res: Response) => {
  const { code, state } = req.query as { code?: string; state?: string };
  if (!code || !state || state !== req.session.state) {
    res.status(400).send('invalid state');
    return;
  }
  try {
    const tokens = await oauth.exchangeCodeForToken(code);
    req.session.tokens = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: Date.now() + tokens.expiresIn * 1000,
    };
    res.redirect('/');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes('invalid_grant')) {
      res.redirect('/auth/login');
      return;
    }
    res.status(502).send('sign-in failed');
  }
});
