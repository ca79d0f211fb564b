const express = require('express');
const db = require('../db');

const router = express.Router();

router.get('/posts/:id', async (req, res) => {
  const id = Number.parseInt(req.params.id, 10);
  if (Number.isNaN(id)) {
    return res.status(400).end();
  }
  const rows = await db.query(`SELECT * FROM posts WHERE id = ${id}`);
  res.json(rows[0] || null);
});

module.exports = router;
