const express = require("express");
const Order = require("../models/order");

const router = express.Router();

router.get("/orders/:ref", async (req, res) => {
  const order = await Order.findOne({ reference: String(req.params.ref) });
  res.json(order);
});

module.exports = router;
