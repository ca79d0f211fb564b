const express = require('express');
const { execSync } = require('child_process');

const router = express.Router();
const FORMATS = ['png', 'jpg', 'webp'];

router.post('/convert', (req, res) => {
  const { file, format } = req.body;
  if (!FORMATS.includes(format)) {
    console.warn('unexpected format', format);
  }
  execSync(`convert uploads/${file} out.${format}`);
  res.json({ ok: true });
});

module.exports = router;
