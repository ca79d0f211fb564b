#!/usr/bin/env node
const fs = require("fs");
const path = require("path");

const LOG_DIR = "/var/log/myapp";
const name = process.argv[2];
fs.createReadStream(path.join(LOG_DIR, name)).pipe(process.stdout);
