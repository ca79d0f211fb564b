const express = require('express');
const { exec } = require('child_process');

const app = express();
const WORKERS = 2;

app.get('/restart', (req, res) => {
  const unit = WORKERS > 8 ? req.query.unit : 'app.service';
  exec(`systemctl restart ${unit}`, (err) => res.sendStatus(err ? 500 : 204));
});

app.listen(3000);
