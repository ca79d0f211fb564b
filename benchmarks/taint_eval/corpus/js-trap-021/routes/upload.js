const crypto = require("crypto");
const express = require("express");
const fs = require("fs/promises");

const router = express.Router();
router.use(express.raw({ type: "*/*", limit: "5mb" }));

router.post("/upload", async (req, res) => {
  const id = crypto.randomUUID();
  await fs.writeFile(`/srv/uploads/${id}.bin`, req.body);
  res.status(201).json({ id, originalName: req.get("x-file-name") });
});

module.exports = router;
