const crypto = require("crypto");
const express = require("express");
const db = require("../db");

const router = express.Router();

router.post("/signup", async (req, res) => {
  const passwordHash = crypto.createHash("sha1").update(req.body.password).digest("hex");
  await db.users.insert({ email: req.body.email, passwordHash });
  res.status(201).end();
});

module.exports = router;
