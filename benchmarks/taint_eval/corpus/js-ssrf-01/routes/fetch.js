const express = require("express");
const axios = require("axios");

const router = express.Router();

router.post("/fetch-metadata", async (req, res) => {
  const response = await axios.get(req.body.url, { timeout: 5000 });
  res.json({ title: /<title>(.*?)<\/title>/i.exec(response.data)?.[1] ?? null });
});

module.exports = router;
