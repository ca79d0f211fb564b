import { Request, Response } from 'express';

const DESTINATIONS = ['/dashboard', '/settings', '/billing'];

export function goTo(req: Request, res: Response) {
  let dest = String(req.query.to || '');
  if (!DESTINATIONS.includes(dest)) {
    dest = '/dashboard';
  }
  res.redirect(dest);
}
