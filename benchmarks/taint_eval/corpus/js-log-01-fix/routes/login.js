const express = require("express");
const router = express.Router();

router.post("/login", (req, res) => {
  console.info("login request for user %s", JSON.stringify(String(req.body.username)));
  res.json({ ok: true });
});

module.exports = router;
