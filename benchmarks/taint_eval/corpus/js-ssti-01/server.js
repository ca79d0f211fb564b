const express = require("express");
const ejs = require("ejs");

const app = express();

app.get("/preview", (req, res) => {
  const html = ejs.render("<h1>Preview</h1>" + req.query.snippet, { user: "demo" });
  res.send(html);
});

app.listen(3000);
