const express = require("express");
const ejs = require("ejs");

const app = express();
const PREVIEW = "<h1>Preview</h1><p><%= snippet %></p>";

app.get("/preview", (req, res) => {
  const html = ejs.render(PREVIEW, { user: "demo", snippet: String(req.query.snippet || "") });
  res.send(html);
});

app.listen(3000);
