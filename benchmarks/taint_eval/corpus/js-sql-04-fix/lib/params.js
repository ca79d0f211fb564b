function param(req, name, fallback) {
  const value = req.body[name] ?? req.query[name];
  return value === undefined ? fallback : value;
}

module.exports = { param };
