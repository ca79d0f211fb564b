#!/usr/bin/env node
const { spawn } = require("child_process");

const [, , inputDir, outFile] = process.argv;

const child = spawn(`zip -r ${outFile} ${inputDir}`, { shell: true, stdio: "inherit" });
child.on("exit", (code) => process.exit(code));
