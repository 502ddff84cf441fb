import express, { Router, type Request, type Response } from 'express';
import { verifyWebhookSignature } from '@contio/partner-sdk';

export const hooksRouter = Router();

// The raw parser sees the bytes Contio sent: the app mounts this router
// before its JSON parser (see app.ts).
hooksRouter.post('/contio', express.raw({ type: 'application/json' }), (req: Request, res: Response) => {
  const signature = req.get('X-Contio-Signature');
  if (!signature) {
    res.sendStatus(401);
    return;
  }
  res.sendStatus(verifyWebhookSignature(req.body, signature, process.env.CONTIO_WEBHOOK_SECRET ?? '') ? 204 : 401);
});
