const express = require('express');
const db = require('../db');

const router = express.Router();

router.get('/report', async (req, res) => {
  const ctx = new Map();
  ctx.set('requestedBy', req.query.user);
  ctx.set('table', 'monthly_sales');
  const rows = await db.query(`SELECT region, SUM(total) AS total FROM ${ctx.get('table')} GROUP BY region`);
  res.json({ by: ctx.get('requestedBy'), rows });
});

module.exports = router;
