const express = require("express");
const db = require("../db");

const router = express.Router();

router.get("/articles", async (req, res) => {
  const page = Math.max(1, Number(req.query.page) | 0);
  const rows = await db.query(`SELECT id, title FROM articles ORDER BY id DESC LIMIT 20 OFFSET ${(page - 1) * 20}`);
  res.json(rows);
});

module.exports = router;
