import express, { Request, Response } from 'express';

const app = express();

app.get('/greet', (req: Request, res: Response) => {
  const name = String(req.query.name ?? 'friend');
  res.send(`<h1>Hello, ${name}!</h1>`);
});

export default app;
