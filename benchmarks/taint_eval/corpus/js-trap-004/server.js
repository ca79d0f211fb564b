const express = require("express");
const { exec, execFile } = require("child_process");

const app = express();
const USE_SHELL = false;

app.get("/whois", (req, res) => {
  const domain = String(req.query.domain || "");
  if (USE_SHELL) {
    exec("whois " + domain, (err, out) => res.send(out));
  } else {
    execFile("whois", ["--", domain], (err, out) => res.type("text/plain").send(out));
  }
});

app.listen(3000);
