const express = require("express");
const router = express.Router();

router.post("/login", (req, res) => {
  const next = String(req.query.next || "/");
  const safe = next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\");
  res.redirect(safe ? next : "/");
});

module.exports = router;
