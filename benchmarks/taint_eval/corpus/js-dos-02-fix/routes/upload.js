const express = require("express");
const zlib = require("zlib");

const router = express.Router();
router.use(express.raw({ type: "application/gzip", limit: "1mb" }));

router.post("/upload", (req, res) => {
  let data;
  try {
    data = zlib.gunzipSync(req.body, { maxOutputLength: 10 * 1024 * 1024 });
  } catch {
    return res.status(413).end();
  }
  res.json({ size: data.length });
});

module.exports = router;
