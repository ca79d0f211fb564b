const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const DOCS = path.join(__dirname, 'docs');

app.get('/docs/:name', (req, res) => {
  fs.readFile(path.join(DOCS, req.params.name), 'utf8', (err, text) => {
    if (err) return res.sendStatus(404);
    res.type('text/markdown').send(text);
  });
});

app.listen(8080);
