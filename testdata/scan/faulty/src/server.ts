import express, { Request, Response } from 'express';
import crypto from 'crypto';
import { verifyWebhookSignature } from '@contio/partner-sdk';
import { exchangeAndRetry, loginUrl } from './auth';

const app = express();
const webhookSecret = process.env.CONTIO_WEBHOOK_SECRET ?? '';

// Parses every body, the webhook's too, before the signature is checked.
app.use(express.json()); // want: CD7701

app.get('/login', (req: Request, res: Response) => {
  res.redirect(loginUrl(String(req.query.state ?? '')));
});

app.get('/oauth/callback', async (req: Request, res: Response) => {
  await exchangeAndRetry(String(req.query.code));
  res.redirect('/');
});

app.post('/webhooks/contio', (req: Request, res: Response) => {
  const signature = req.headers['x-contio-signature'] as string;
  const valid = verifyWebhookSignature(JSON.stringify(req.body), signature, webhookSecret); // want: CD7702 CD7703
  if (!valid) {
    res.status(401).send('bad signature');
    return;
  }
  res.sendStatus(204);
});

app.post('/webhooks/meetings', (req: Request, res: Response) => {
  const received = req.header('X-Contio-Signature');
  if (!received) {
    res.status(401).send('missing signature');
    return;
  }
  const expected = crypto.createHmac('sha256', webhookSecret).update(req.body).digest('hex');
  if (received === expected) { // want: CD7704
    res.sendStatus(204);
    return;
  }
  res.status(401).send('bad signature');
});

app.listen(3000);
