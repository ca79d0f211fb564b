const express = require("express");
const { exec } = require("child_process");

const router = express.Router();

router.post("/kill", (req, res) => {
  const pid = Number.parseInt(req.body.pid, 10);
  if (!Number.isInteger(pid) || pid <= 1) return res.status(400).end();
  exec(`kill -TERM ${pid}`, (err) => res.json({ ok: !err }));
});

module.exports = router;
