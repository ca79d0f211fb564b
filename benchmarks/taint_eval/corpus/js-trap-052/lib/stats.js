async function weeklyStats(db, userInput) {
  const parts = ["SELECT week, count(*) FROM signups GROUP BY week", userInput];
  const [query, label] = parts;
  const result = await db.query(query);
  return { label, rows: result.rows };
}

module.exports = { weeklyStats };
