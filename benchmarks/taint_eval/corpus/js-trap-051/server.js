const express = require("express");
const { runScript } = require("./lib/tasks");

const app = express();

app.post("/run/:name", (req, res) => {
  if (!Object.hasOwn({ build: 1, test: 1, lint: 1 }, req.params.name)) return res.status(404).end();
  res.type("text/plain").send(runScript(req.params.name));
});

app.listen(3000);
