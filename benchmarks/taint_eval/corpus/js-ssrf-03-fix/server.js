const express = require("express");
const { download } = require("./lib/download");

const app = express();
const MIRRORS = {
  node: "https://nodejs.org/dist/index.json",
  python: "https://www.python.org/ftp/python/",
};

app.get("/mirror", async (req, res) => {
  const src = MIRRORS[req.query.src];
  if (!src) return res.status(404).end();
  const body = await download(src);
  res.type("application/octet-stream").send(body);
});

app.listen(3000);
