const express = require("express");
const { Pool } = require("pg");

const pool = new Pool();
const router = express.Router();

router.get("/items", async (req, res) => {
  const { rows } = await pool.query("SELECT * FROM items WHERE owner = $1 AND kind = $2", [req.query.owner, req.query.kind]);
  res.json(rows);
});

module.exports = router;
