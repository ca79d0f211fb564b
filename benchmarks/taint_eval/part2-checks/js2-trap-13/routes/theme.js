const express = require('express');
const fs = require('fs');
const path = require('path');

const router = express.Router();

router.get('/theme', (req, res) => {
  const parts = [req.query.user, 'default.css'];
  const css = fs.readFileSync(path.join(__dirname, 'themes', parts[1]), 'utf8');
  res.type('css').send(css);
});

module.exports = router;
