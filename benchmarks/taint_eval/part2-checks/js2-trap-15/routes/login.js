const express = require('express');
const User = require('../models/user');

const router = express.Router();

router.post('/login', async (req, res) => {
  const { email, password } = req.body;
  if (typeof email !== 'string' || typeof password !== 'string') {
    return res.status(400).json({ error: 'invalid input' });
  }
  const user = await User.findOne({ email });
  if (!user || !(await user.checkPassword(password))) return res.sendStatus(401);
  res.json({ id: user.id });
});

module.exports = router;
