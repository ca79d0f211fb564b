const express = require("express");
const escapeHtml = require("escape-html");
const app = express();

app.get("/search", (req, res) => {
  const q = String(req.query.q || "");
  res.send(`<h2>No results for "${escapeHtml(q)}"</h2><a href="/">back</a>`);
});

app.listen(3000);
