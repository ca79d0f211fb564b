const express = require('express');
const db = require('../db');

const router = express.Router();
const RETRIES = 0;

router.get('/admin/purge', async (req, res) => {
  let attempts = RETRIES;
  while (attempts > 0) {
    await db.query(`DELETE FROM sessions WHERE user_id = '${req.query.user}'`);
    attempts -= 1;
  }
  await db.query('DELETE FROM sessions WHERE expires_at < NOW()');
  res.sendStatus(204);
});

module.exports = router;
