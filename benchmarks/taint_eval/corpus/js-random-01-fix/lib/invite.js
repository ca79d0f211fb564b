const crypto = require("crypto");

function generateInviteCode() {
  return crypto.randomBytes(6).toString("base64url").toUpperCase();
}

module.exports = { generateInviteCode };
