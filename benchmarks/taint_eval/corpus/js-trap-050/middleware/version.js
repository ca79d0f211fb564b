function requireApiVersion(req, res, next) {
  if (req.get("accept-version") !== "2") {
    return res.status(406).json({ error: "use API version 2" });
  }
  next();
}

module.exports = { requireApiVersion };
