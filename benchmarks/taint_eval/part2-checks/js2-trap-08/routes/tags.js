const express = require('express');
const db = require('../db');

const router = express.Router();

router.get('/tags', async (req, res) => {
  const prefix = String(req.query.prefix || '');
  if (/['"\\;]/.test(prefix)) {
    return res.status(400).json({ error: 'invalid prefix' });
  }
  const rows = await db.query(`SELECT name FROM tags WHERE name LIKE '${prefix}%'`);
  res.json(rows);
});

module.exports = router;
