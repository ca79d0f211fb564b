const express = require("express");
const app = express();
app.use(express.text());

app.post("/config", (req, res) => {
  let config;
  try {
    config = JSON.parse(req.body);
  } catch {
    return res.status(400).send("invalid json");
  }
  res.json({ keys: Object.keys(config) });
});

app.listen(3000);
