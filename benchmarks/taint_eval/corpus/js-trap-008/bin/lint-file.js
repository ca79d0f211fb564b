#!/usr/bin/env node
const { spawnSync } = require("child_process");

const file = process.argv[2];
const result = spawnSync("eslint", ["--max-warnings=0", "--", file], { stdio: "inherit" });
process.exit(result.status ?? 1);
