const fs = require("fs");
const path = require("path");

const OUT = "/var/app/reports";

function saveReport(name, contents) {
  if (name.includes("..") || name.includes("/") || name.includes("\\")) {
    throw new Error("bad report name");
  }
  fs.writeFileSync(path.join(OUT, name), contents);
}

module.exports = { saveReport };
