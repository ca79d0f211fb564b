const express = require('express');
const axios = require('axios');

const router = express.Router();
const DEFAULTS = { url: 'https://api.example.com/health', timeout: 3000 };
const ALLOWED_HOSTS = new Set(['api.example.com', 'status.example.com']);

router.post('/probe', async (req, res) => {
  const opts = Object.assign({}, DEFAULTS, req.body);
  const target = new URL(opts.url);
  if (target.protocol !== 'https:' || !ALLOWED_HOSTS.has(target.hostname)) {
    return res.status(400).json({ error: 'host not allowed' });
  }
  const r = await axios.get(target.toString(), { timeout: 3000 });
  res.json({ status: r.status });
});

module.exports = router;
