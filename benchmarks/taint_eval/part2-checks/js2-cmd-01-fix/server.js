const express = require('express');
const { exec } = require('child_process');

const app = express();

app.get('/log', (req, res) => {
  const branch = req.query.branch || 'main';
  if (!/^[\w./-]+$/.test(branch)) {
    res.status(400).send('invalid branch');
    return;
  }
  exec(`git log --oneline -n 20 ${branch}`, (err, stdout) => {
    if (err) return res.status(500).send('git failed');
    res.type('text').send(stdout);
  });
});

app.listen(3000);
