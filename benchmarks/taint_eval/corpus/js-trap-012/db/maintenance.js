const { Pool } = require("pg");

const pool = new Pool();
const TABLE = "audit_events";
const RETENTION_DAYS = 30;

async function purgeOldEvents() {
  await pool.query(`DELETE FROM ${TABLE} WHERE created_at < now() - interval '${RETENTION_DAYS} days'`);
}

purgeOldEvents();
