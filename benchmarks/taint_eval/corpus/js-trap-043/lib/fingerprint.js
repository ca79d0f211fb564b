const crypto = require("crypto");

function fingerprint(buffer) {
  return crypto.createHash("sha256").update(buffer).digest("hex");
}

module.exports = { fingerprint };
