const { execFileSync } = require("child_process");

function checkoutBranch(repoDir, branch) {
  return execFileSync("git", ["-C", repoDir, "checkout", branch, "--"]).toString();
}

module.exports = { checkoutBranch };
