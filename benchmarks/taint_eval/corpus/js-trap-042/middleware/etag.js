const crypto = require("crypto");

function etagFor(body) {
  return '"' + crypto.createHash("sha1").update(body).digest("base64").slice(0, 27) + '"';
}

module.exports = { etagFor };
