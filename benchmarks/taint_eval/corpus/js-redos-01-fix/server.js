const express = require("express");
const app = express();
const products = require("./products.json");

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

app.get("/filter", (req, res) => {
  const needle = String(req.query.pattern || "").slice(0, 100);
  const re = new RegExp(escapeRegExp(needle), "i");
  res.json(products.filter((p) => re.test(p.name)));
});

app.listen(3000);
