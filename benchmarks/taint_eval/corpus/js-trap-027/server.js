const express = require("express");
const app = express();
const MAX_DEPTH = 2 * 3;

app.get("/expr", (req, res) => {
  const input = String(req.query.input || "");
  if (MAX_DEPTH > 10) {
    return res.json({ value: eval(input) });
  }
  res.json({ value: Number(input) || 0 });
});

app.listen(3000);
