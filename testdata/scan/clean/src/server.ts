import express, { Request, Response } from 'express';
import crypto from 'crypto';
import { verifyWebhookSignature } from '@contio/partner-sdk';
import { exchangeOnce, loginUrl } from './auth';

const app = express();
const webhookSecret = process.env.CONTIO_WEBHOOK_SECRET ?? '';

// The webhook routes get the raw bytes and are registered before the
// global JSON parser, so the signature is checked over what Contio sent.
app.post('/webhooks/contio', express.raw({ type: 'application/json' }), (req: Request, res: Response) => {
  const signature = req.headers['x-contio-signature'];
  if (typeof signature !== 'string' || signature === '') {
    res.status(401).send('missing X-Contio-Signature');
    return;
  }
  const valid = verifyWebhookSignature(req.body, signature, webhookSecret);
  if (!valid) {
    res.status(401).send('bad signature');
    return;
  }
  const event = JSON.parse(req.body.toString('utf8'));
  console.log('event', event.type);
  res.sendStatus(204);
});

app.post('/webhooks/meetings', express.raw({ type: 'application/json' }), (req: Request, res: Response) => {
  const received = req.header('X-Contio-Signature');
  if (!received) {
    res.status(401).send('missing signature');
    return;
  }
  const expected = crypto.createHmac('sha256', webhookSecret).update(req.body).digest('hex');
  const a = Buffer.from(received, 'hex');
  const b = Buffer.from(expected, 'hex');
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
    res.status(401).send('bad signature');
    return;
  }
  res.sendStatus(204);
});

app.use(express.json());

app.get('/login', (req: Request, res: Response) => {
  res.redirect(loginUrl(String(req.query.state ?? '')));
});

app.get('/oauth/callback', async (req: Request, res: Response) => {
  await exchangeOnce(String(req.query.code));
  res.redirect('/');
});

app.listen(3000);
