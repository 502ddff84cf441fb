import type { NextFunction, Request, Response } from 'express';

export interface SessionTokens {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
}

declare module 'express-session' {
  interface SessionData {
    tokens?: SessionTokens;
    state?: string;
  }
}

export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (!req.session.tokens) {
    res.status(401).json({ error: 'sign in first' });
    return;
  }
  next();
}
