const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const DOCS = path.join(__dirname, 'docs');

app.get('/docs/:name', (req, res) => {
  const full = path.resolve(DOCS, req.params.name);
  if (!full.startsWith(DOCS + path.sep)) {
    res.status(403).send('forbidden');
    return;
  }
  fs.readFile(full, 'utf8', (err, text) => {
    if (err) return res.sendStatus(404);
    res.type('text/markdown').send(text);
  });
});

app.listen(8080);
