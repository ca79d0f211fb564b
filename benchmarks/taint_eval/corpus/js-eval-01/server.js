const express = require("express");
const app = express();

app.get("/calc", (req, res) => {
  const result = eval(req.query.expression);
  res.json({ result });
});

app.listen(3000);
