const express = require('express');
const { execFileSync } = require('child_process');

const router = express.Router();
const FORMATS = ['png', 'jpg', 'webp'];

router.post('/convert', (req, res) => {
  const { file, format } = req.body;
  if (!FORMATS.includes(format)) {
    return res.status(400).json({ error: 'unsupported format' });
  }
  execFileSync('convert', [`uploads/${file}`, `out.${format}`]);
  res.json({ ok: true });
});

module.exports = router;
