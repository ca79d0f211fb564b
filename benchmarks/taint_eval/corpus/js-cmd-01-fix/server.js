const express = require("express");
const { execFile } = require("child_process");

const app = express();
const DOMAIN = /^[a-z0-9.-]{1,253}$/i;

app.get("/api/dns", (req, res) => {
  const domain = String(req.query.domain || "");
  if (!DOMAIN.test(domain)) return res.status(400).json({ error: "invalid domain" });
  execFile("nslookup", [domain], (err, stdout) => {
    if (err) return res.status(500).json({ error: "lookup failed" });
    res.json({ output: stdout });
  });
});

app.listen(3000);
