const bcrypt = require("bcrypt");
const express = require("express");
const db = require("../db");

const router = express.Router();

router.post("/signup", async (req, res) => {
  const passwordHash = await bcrypt.hash(String(req.body.password), 12);
  await db.users.insert({ email: req.body.email, passwordHash });
  res.status(201).end();
});

module.exports = router;
