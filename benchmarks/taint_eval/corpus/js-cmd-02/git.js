const { execSync } = require("child_process");

function checkoutBranch(repoDir, branch) {
  return execSync("git -C " + repoDir + " checkout " + branch).toString();
}

module.exports = { checkoutBranch };
