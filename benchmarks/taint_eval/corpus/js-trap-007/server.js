const express = require("express");
const { exec } = require("child_process");

const app = express();

app.get("/version", (req, res) => {
  let tool = req.query.tool;
  tool = "node";
  exec(`${tool} --version`, (err, out) => res.send(out.trim()));
});

app.listen(3000);
