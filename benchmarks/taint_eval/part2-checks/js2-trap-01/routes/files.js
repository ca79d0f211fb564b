const express = require('express');
const fs = require('fs');
const path = require('path');

const router = express.Router();
const STORE = '/srv/store';

router.get('/file', (req, res) => {
  const name = String(req.query.name || '');
  if (name.includes('..') || path.isAbsolute(name)) {
    res.status(400).send('bad name');
    return;
  }
  fs.createReadStream(path.join(STORE, name)).pipe(res);
});

module.exports = router;
