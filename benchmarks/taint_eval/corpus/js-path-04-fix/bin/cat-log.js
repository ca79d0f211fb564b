#!/usr/bin/env node
const fs = require("fs");
const path = require("path");

const LOG_DIR = "/var/log/myapp";
const name = path.basename(process.argv[2] || "");
if (!name.endsWith(".log")) {
  console.error("usage: cat-log <file.log>");
  process.exit(2);
}
fs.createReadStream(path.join(LOG_DIR, name)).pipe(process.stdout);
