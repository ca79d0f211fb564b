const express = require("express");
const app = express();

app.get("/search", (req, res) => {
  const q = req.query.q || "";
  res.send(`<h2>No results for "${q}"</h2><a href="/">back</a>`);
});

app.listen(3000);
