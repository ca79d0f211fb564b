import express, { Request, Response } from 'express';
import escapeHtml from 'escape-html';

const app = express();

app.get('/greet', (req: Request, res: Response) => {
  const name = String(req.query.name ?? 'friend');
  res.send(`<h1>Hello, ${escapeHtml(name)}!</h1>`);
});

export default app;
