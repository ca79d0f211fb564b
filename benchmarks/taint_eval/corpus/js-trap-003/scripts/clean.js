const { execSync } = require("child_process");

const DIRS = ["dist", "coverage", ".cache"];
execSync("rm -rf " + DIRS.join(" "), { stdio: "inherit" });
console.log("cleaned");
