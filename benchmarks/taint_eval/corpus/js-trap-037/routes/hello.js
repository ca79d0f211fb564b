const express = require("express");
const router = express.Router();

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

router.get("/hello", (req, res) => {
  res.send(`<p>Hello ${escapeHtml(req.query.name || "stranger")}</p>`);
});

module.exports = router;
