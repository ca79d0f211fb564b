const express = require('express');
const { exec } = require('child_process');

const router = express.Router();

router.post('/thumb', (req, res) => {
  const size = req.body.size;
  switch (size) {
    case 'small':
    case 'medium':
    case 'large':
      break;
    default:
      return res.status(400).send('unknown size');
  }
  exec(`make thumbs SIZE=${size}`, { cwd: '/srv/media' }, (err) => res.sendStatus(err ? 500 : 202));
});

module.exports = router;
