const fs = require("fs");
const yaml = require("js-yaml");

function loadConfig(file) {
  return yaml.load(fs.readFileSync(file, "utf8"), { schema: yaml.DEFAULT_FULL_SCHEMA });
}

module.exports = { loadConfig };
