import { Router } from "express";

export const links = Router();

links.get("/out", (req, res) => {
  const target = String(req.query.url);
  res.setHeader("Location", target);
  res.status(302).end();
});
