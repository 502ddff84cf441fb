import express from 'express';
import session from 'express-session';
import { config } from './config';
import { authRouter } from './routes/auth';
import { meetingsRouter } from './routes/meetings';
import { webhookRouter } from './routes/webhooks';

const app = express();

// Webhooks first: they need the raw body, before any JSON parser.
app.use('/webhooks', webhookRouter);

app.use(express.json({ limit: '1mb' }));
app.use(session({ secret: config.sessionSecret, resave: false, saveUninitialized: false }));

app.use('/auth', authRouter);
app.use('/meetings', meetingsRouter);

app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

app.listen(config.port, () => {
  console.log(`listening on ${config.port}`);
});
