const { Pool } = require("pg");

const pool = new Pool();
const ORDER_COLUMNS = { created: "created_at", name: "name", balance: "balance" };

async function findAccountsByStatus(status, orderBy) {
  const column = ORDER_COLUMNS[orderBy] || "created_at";
  const result = await pool.query(`SELECT * FROM accounts WHERE status = $1 ORDER BY ${column}`, [status]);
  return result.rows;
}

module.exports = { findAccountsByStatus };
