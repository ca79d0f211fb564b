const express = require("express");
const path = require("path");

const app = express();
const DOCS = path.join(__dirname, "docs");

app.get("/docs/:page", (req, res) => {
  res.sendFile(req.params.page, { root: DOCS, dotfiles: "deny" });
});

app.listen(3000);
