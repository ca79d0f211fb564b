const express = require("express");
const app = express();

app.use(express.json({ limit: "100kb" }));

app.post("/events", (req, res) => {
  res.json({ count: Array.isArray(req.body) ? req.body.length : 0 });
});

app.listen(3000);
