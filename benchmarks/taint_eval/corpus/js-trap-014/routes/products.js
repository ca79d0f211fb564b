const express = require("express");
const knex = require("knex")({ client: "pg" });

const router = express.Router();

router.get("/products", async (req, res) => {
  const rows = await knex("products").where("category", req.query.category).orderBy("name").limit(50);
  res.json(rows);
});

module.exports = router;
