const fs = require('fs/promises');
const path = require('path');

const CACHE_DIR = path.join(__dirname, '..', '.cache');

async function readCached(key) {
  const file = path.join(CACHE_DIR, path.basename(key) + '.json');
  return JSON.parse(await fs.readFile(file, 'utf8'));
}

module.exports = { readCached };
