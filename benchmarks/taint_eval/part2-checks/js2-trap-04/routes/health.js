const express = require('express');
const axios = require('axios');

const router = express.Router();

router.post('/health', async (req, res) => {
  const opts = Object.assign({}, req.body, { url: 'https://status.example.com/api/v2/status.json' });
  const r = await axios.get(opts.url, { timeout: 2000 });
  res.json({ status: r.data.status, note: opts.note });
});

module.exports = router;
