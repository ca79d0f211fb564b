const crypto = require("crypto");

const API_KEY = Buffer.from(process.env.ADMIN_API_KEY || "");

function requireApiKey(req, res, next) {
  const provided = Buffer.from(req.get("x-api-key") || "");
  if (API_KEY.length === 0 || provided.length !== API_KEY.length || !crypto.timingSafeEqual(provided, API_KEY)) {
    return res.status(401).json({ error: "unauthorized" });
  }
  next();
}

module.exports = { requireApiKey };
