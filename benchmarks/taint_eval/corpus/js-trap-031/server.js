const express = require("express");
const app = express();

app.get("/translate", async (req, res) => {
  const url = new URL("https://translation.example.com/v2/translate");
  url.searchParams.set("q", String(req.query.text || ""));
  url.searchParams.set("target", "en");
  const response = await fetch(url);
  res.json(await response.json());
});

app.listen(3000);
