const { execSync } = require("child_process");

function runTask(body) {
  const task = { title: body.title, command: "npm test" };
  const output = execSync(task.command).toString();
  return { title: task.title, output };
}

runTask({ title: "nightly" });
