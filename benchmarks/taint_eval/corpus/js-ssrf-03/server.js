const express = require("express");
const { download } = require("./lib/download");

const app = express();

app.get("/mirror", async (req, res) => {
  const body = await download(req.query.src);
  res.type("application/octet-stream").send(body);
});

app.listen(3000);
