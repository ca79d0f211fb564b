const { execSync } = require("child_process");

const SCRIPTS = { build: "npm run build", test: "npm test", lint: "npm run lint" };

function runScript(name) {
  const command = SCRIPTS[name];
  if (command === undefined) throw new Error(`unknown script ${name}`);
  return execSync(command).toString();
}

module.exports = { runScript };
