import { Router, type Request, type Response } from 'express';
import { requireUser } from '../middleware/requireUser';
import { openActionItems, recentMeetings } from '../services/contio';
import { userMeetings } from '../services/http';

export const meetingsRouter = Router();

meetingsRouter.use(requireUser);

meetingsRouter.get('/', async (_req: Request, res: Response) => {
  res.json(await recentMeetings());
});

meetingsRouter.get('/raw', async (req: Request, res: Response) => {
  res.json(await userMeetings(req.session.tokens!.accessToken));
});

meetingsRouter.get('/action-items', async (_req: Request, res: Response) => {
  res.json(await openActionItems());
});

meetingsRouter.post('/notes', async (req: Request, res: Response) => {
  const { text } = req.body as { text?: string };
  if (!text) {
    res.status(400).json({ error: 'text is required' });
    return;
  }
  res.status(201).json({ saved: text.length });
});
