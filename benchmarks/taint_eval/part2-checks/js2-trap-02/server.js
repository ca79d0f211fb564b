const express = require('express');
const { exec } = require('child_process');

const app = express();
const ALLOWED = new Set(['uptime', 'whoami', 'date']);

app.get('/run/:cmd', (req, res) => {
  const cmd = req.params.cmd;
  if (!ALLOWED.has(cmd)) return res.sendStatus(404);
  exec(cmd, (err, out) => res.send(err ? 'failed' : out));
});

app.listen(3000);
