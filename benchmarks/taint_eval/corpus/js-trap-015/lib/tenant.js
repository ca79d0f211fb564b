const TENANT = /^[a-z][a-z0-9_]{2,30}$/;

async function countRows(db, tenant) {
  if (!TENANT.test(tenant)) {
    throw new Error("invalid tenant");
  }
  const result = await db.query(`SELECT count(*) FROM ${tenant}.orders`);
  return Number(result.rows[0].count);
}

module.exports = { countRows };
