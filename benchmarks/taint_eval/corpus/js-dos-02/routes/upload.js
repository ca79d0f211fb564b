const express = require("express");
const zlib = require("zlib");

const router = express.Router();
router.use(express.raw({ type: "application/gzip", limit: "1mb" }));

router.post("/upload", (req, res) => {
  const data = zlib.gunzipSync(req.body);
  res.json({ size: data.length });
});

module.exports = router;
