const express = require("express");
const fs = require("fs");
const path = require("path");

const app = express();
const ROOT = path.resolve("./uploads");

app.get("/files/*", (req, res) => {
  const target = path.resolve(ROOT, req.params[0]);
  if (!target.startsWith(ROOT + path.sep)) {
    return res.status(403).end();
  }
  fs.createReadStream(target).pipe(res);
});

app.listen(3000);
