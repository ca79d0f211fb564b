const API_KEY = process.env.ADMIN_API_KEY;

function requireApiKey(req, res, next) {
  const provided = req.get("x-api-key");
  if (!provided || provided !== API_KEY) {
    return res.status(401).json({ error: "unauthorized" });
  }
  next();
}

module.exports = { requireApiKey };
