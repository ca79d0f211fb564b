const crypto = require("crypto");

function signDownloadLink(path, expires, secret) {
  return crypto.createHash("md5").update(`${path}:${expires}:${secret}`).digest("hex");
}

module.exports = { signDownloadLink };
