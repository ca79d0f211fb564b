import express from "express";

export const proxy = express.Router();
const ALLOWED_HOSTS = ["api.stripe.com", "api.github.com"];

proxy.get("/proxy", async (req, res) => {
  let url: URL;
  try {
    url = new URL(String(req.query.url));
  } catch {
    res.status(400).end();
    return;
  }
  if (url.protocol !== "https:" || !ALLOWED_HOSTS.includes(url.hostname)) {
    res.status(403).end();
    return;
  }
  const upstream = await fetch(url);
  res.status(upstream.status).send(await upstream.text());
});
