const express = require('express');
const path = require('path');

const app = express();
const DOCS = {
  terms: 'terms-2024.pdf',
  privacy: 'privacy-2024.pdf',
};

app.get('/legal/:doc', (req, res) => {
  const file = DOCS[req.params.doc];
  if (!file) return res.sendStatus(404);
  res.sendFile(path.join(__dirname, 'legal', file));
});

app.listen(3000);
