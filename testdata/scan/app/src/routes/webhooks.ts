import express, { Router, type Request, type Response } from 'express';
import { createWebhookMiddleware, verifyWebhookSignature } from '@contio/partner-sdk';
import { config } from '../config';

export const webhookRouter = Router();

// The SDK's middleware reads the raw body and checks the signature header.
webhookRouter.post(
  '/contio',
  express.raw({ type: 'application/json' }),
  createWebhookMiddleware({ secret: config.webhookSecret }),
  (req: Request, res: Response) => {
    res.sendStatus(204);
  },
);

// A hand-written receiver for a second endpoint, done the long way.
webhookRouter.post('/contio-legacy', express.raw({ type: 'application/json' }), handleLegacy);

function handleLegacy(req: Request, res: Response): void {
  const signature = req.get(config.signatureHeader);
  if (!signature) {
    res.status(401).json({ error: 'missing X-Contio-Signature' });
    return;
  }
  const body: Buffer = req.body;
  if (!verifyWebhookSignature(body, signature, config.webhookSecret)) {
    res.status(401).json({ error: 'bad signature' });
    return;
  }
  const event = JSON.parse(body.toString('utf8')) as { type: string };
  res.status(event.type ? 204 : 400).end();
}
