import { Router, Request, Response } from 'express';

export const fetcher = Router();
const ALLOWED_HOSTS = ['api.github.com', 'registry.npmjs.org'];

fetcher.get('/fetch', async (req: Request, res: Response) => {
  let target: URL;
  try {
    target = new URL(String(req.query.url));
  } catch {
    return res.status(400).send('bad url');
  }
  if (!ALLOWED_HOSTS.includes(target.hostname)) {
    return res.status(403).send('host not allowed');
  }
  const upstream = await fetch(target);
  res.status(upstream.status).send(await upstream.text());
});
