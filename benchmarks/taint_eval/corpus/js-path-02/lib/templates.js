const fs = require("fs/promises");
const path = require("path");

const TEMPLATE_DIR = "/opt/app/templates";

async function loadTemplate(name) {
  const file = path.resolve(TEMPLATE_DIR, name + ".html");
  return fs.readFile(file, "utf8");
}

module.exports = { loadTemplate };
