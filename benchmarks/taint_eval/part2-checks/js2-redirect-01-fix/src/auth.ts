import { Router, Request, Response } from 'express';

export const auth = Router();

auth.get('/after-login', (req: Request, res: Response) => {
  let next = String(req.query.next || '/');
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    next = '/';
  }
  res.redirect(next);
});
