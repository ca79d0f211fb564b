const express = require('express');
const User = require('../models/user');

const router = express.Router();

router.post('/users/find', async (req, res) => {
  const query = { active: true, ...req.body };
  const users = await User.find(query).limit(50);
  res.json(users);
});

module.exports = router;
