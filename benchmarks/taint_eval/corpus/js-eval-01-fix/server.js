const express = require("express");
const app = express();
const SIMPLE = /^\s*(-?\d+(?:\.\d+)?)\s*([+\-*/])\s*(-?\d+(?:\.\d+)?)\s*$/;
const OPS = { "+": (a, b) => a + b, "-": (a, b) => a - b, "*": (a, b) => a * b, "/": (a, b) => a / b };

app.get("/calc", (req, res) => {
  const match = SIMPLE.exec(String(req.query.expression || ""));
  if (!match) return res.status(400).json({ error: "unsupported expression" });
  res.json({ result: OPS[match[2]](Number(match[1]), Number(match[3])) });
});

app.listen(3000);
