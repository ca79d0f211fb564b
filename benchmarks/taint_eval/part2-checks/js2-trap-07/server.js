const express = require('express');

const app = express();
const DEBUG = false;

app.get('/calc', (req, res) => {
  if (DEBUG && req.query.expr) {
    return res.send(String(eval(req.query.expr)));
  }
  res.status(404).end();
});

app.listen(3000);
