const express = require('express');
const axios = require('axios');

const router = express.Router();
const DEFAULTS = { url: 'https://api.example.com/health', timeout: 3000 };

router.post('/probe', async (req, res) => {
  const opts = Object.assign({}, DEFAULTS, req.body);
  const r = await axios.get(opts.url, { timeout: opts.timeout });
  res.json({ status: r.status });
});

module.exports = router;
