const express = require("express");
const mysql = require("mysql2");

const router = express.Router();
const pool = mysql.createPool({ host: "localhost", user: "app", database: "app" });

router.get("/users/:id", (req, res) => {
  pool.query("SELECT id, name, email FROM users WHERE id = ?", [req.params.id], (err, rows) => {
    if (err) return res.sendStatus(500);
    res.json(rows[0] || null);
  });
});

module.exports = router;
