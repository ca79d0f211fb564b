const express = require("express");
const { exec } = require("child_process");

const app = express();
const UNITS = new Set(["nginx", "redis", "worker"]);

app.post("/restart/:unit", (req, res) => {
  const unit = req.params.unit;
  if (!UNITS.has(unit)) {
    return res.status(404).json({ error: "unknown unit" });
  }
  exec(`systemctl restart ${unit}`, (err) => res.json({ ok: !err }));
});

app.listen(3000);
