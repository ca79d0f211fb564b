const fs = require("fs");
const path = require("path");

function appVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
  return pkg.version;
}

module.exports = { appVersion };
