const { execSync } = require('child_process');

function sh(cmd) {
  return execSync(cmd, { encoding: 'utf8' }).trim();
}

const version = sh('git describe --tags --abbrev=0');
const commit = sh('git rev-parse --short HEAD');
console.log(`release ${version} (${commit})`);
