const fs = require("fs");
const yaml = require("js-yaml");

function loadConfig(file) {
  return yaml.load(fs.readFileSync(file, "utf8"), { schema: yaml.JSON_SCHEMA });
}

module.exports = { loadConfig };
