const express = require("express");
const path = require("path");

const router = express.Router();

router.get("/download", (req, res) => {
  const name = path.basename(String(req.query.name || ""));
  res.download(path.join(__dirname, "..", "exports", name));
});

module.exports = router;
