const express = require("express");
const sqlite3 = require("sqlite3");
const { param } = require("./lib/params");

const db = new sqlite3.Database("notes.db");
const app = express();
app.use(express.json());

app.post("/notes/search", (req, res) => {
  const tag = param(req, "tag", "");
  db.all("SELECT * FROM notes WHERE tag LIKE '%" + tag + "%'", (err, rows) => {
    res.json(err ? [] : rows);
  });
});

app.listen(8080);
