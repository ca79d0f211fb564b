const { Pool } = require("pg");

const pool = new Pool();

async function findAccountsByStatus(status, orderBy) {
  const sql = "SELECT * FROM accounts WHERE status = '" + status + "' ORDER BY " + orderBy;
  const result = await pool.query(sql);
  return result.rows;
}

module.exports = { findAccountsByStatus };
