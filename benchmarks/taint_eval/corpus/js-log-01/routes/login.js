const express = require("express");
const router = express.Router();

router.post("/login", (req, res) => {
  console.log("login request", JSON.stringify(req.body));
  console.info(`user ${req.body.username} tried password ${req.body.password}`);
  res.json({ ok: true });
});

module.exports = router;
