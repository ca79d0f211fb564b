const express = require("express");
const axios = require("axios");

const router = express.Router();
const ALLOWED = new Set(["www.youtube.com", "vimeo.com", "github.com"]);

router.post("/fetch-metadata", async (req, res) => {
  let target;
  try {
    target = new URL(String(req.body.url));
  } catch {
    return res.status(400).json({ error: "invalid url" });
  }
  if (target.protocol !== "https:" || !ALLOWED.has(target.hostname)) {
    return res.status(400).json({ error: "host not allowed" });
  }
  const response = await axios.get(target.toString(), { timeout: 5000, maxRedirects: 0 });
  res.json({ title: /<title>(.*?)<\/title>/i.exec(response.data)?.[1] ?? null });
});

module.exports = router;
