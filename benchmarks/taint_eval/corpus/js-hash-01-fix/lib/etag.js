const crypto = require("crypto");

function signDownloadLink(path, expires, secret) {
  return crypto.createHmac("sha256", secret).update(`${path}:${expires}`).digest("hex");
}

module.exports = { signDownloadLink };
