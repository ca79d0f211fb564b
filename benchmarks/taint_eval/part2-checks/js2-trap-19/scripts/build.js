const fs = require('fs');
const { execSync } = require('child_process');

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const step = pkg.scripts && pkg.scripts.prebuild;
if (step) {
  execSync(step, { stdio: 'inherit' });
}
