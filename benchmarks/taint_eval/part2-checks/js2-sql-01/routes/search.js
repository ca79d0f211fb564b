const express = require('express');
const db = require('../db');

const router = express.Router();

router.get('/search', async (req, res) => {
  const filters = new Map();
  filters.set('title', req.query.q || '');
  filters.set('limit', 20);
  const sql = `SELECT id, title FROM books WHERE title LIKE '%${filters.get('title')}%' LIMIT ${filters.get('limit')}`;
  const rows = await db.query(sql);
  res.json(rows);
});

module.exports = router;
