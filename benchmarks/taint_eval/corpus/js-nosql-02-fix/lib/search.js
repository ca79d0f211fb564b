async function findExpensive(collection, threshold) {
  const limit = Number(threshold);
  if (!Number.isFinite(limit)) throw new TypeError("threshold must be a number");
  return collection.find({ price: { $gt: limit } }).toArray();
}

module.exports = { findExpensive };
