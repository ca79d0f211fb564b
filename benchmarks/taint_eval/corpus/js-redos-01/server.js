const express = require("express");
const app = express();
const products = require("./products.json");

app.get("/filter", (req, res) => {
  const re = new RegExp(req.query.pattern, "i");
  res.json(products.filter((p) => re.test(p.name)));
});

app.listen(3000);
