const express = require("express");
const { exec } = require("child_process");

const app = express();

app.get("/api/dns", (req, res) => {
  const domain = req.query.domain;
  exec(`nslookup ${domain}`, (err, stdout) => {
    if (err) return res.status(500).json({ error: "lookup failed" });
    res.json({ output: stdout });
  });
});

app.listen(3000);
