const express = require('express');
const { exec } = require('child_process');

const app = express();

app.get('/ping', (req, res) => {
  const host = String(req.query.host || '');
  if (/[^a-zA-Z0-9.-]/.test(host)) {
    return res.status(400).json({ error: 'bad host' });
  }
  exec(`ping -c 1 ${host}`, (err) => res.json({ up: !err }));
});

app.listen(3000);
