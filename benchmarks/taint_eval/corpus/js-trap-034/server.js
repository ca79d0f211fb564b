const express = require("express");
const app = express();

app.get("/api/echo", (req, res) => {
  res.json({ message: req.query.message });
});

app.listen(3000);
