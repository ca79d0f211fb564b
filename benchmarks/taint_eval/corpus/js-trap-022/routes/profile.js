const express = require("express");
const User = require("../models/user");

const router = express.Router();

router.get("/profile", async (req, res) => {
  const { handle } = req.query;
  if (typeof handle !== "string") return res.status(400).end();
  const user = await User.findOne({ handle }).lean();
  res.json(user ? { handle: user.handle, bio: user.bio } : null);
});

module.exports = router;
