import { Router } from "express";

export const links = Router();
const PARTNERS = new Set(["shop.example.com", "help.example.com"]);

links.get("/out", (req, res) => {
  let target: URL;
  try {
    target = new URL(String(req.query.url));
  } catch {
    res.status(400).end();
    return;
  }
  if (!PARTNERS.has(target.hostname)) {
    res.status(400).end();
    return;
  }
  res.setHeader("Location", target.toString());
  res.status(302).end();
});
