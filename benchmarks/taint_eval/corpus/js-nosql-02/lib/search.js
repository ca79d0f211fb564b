async function findExpensive(collection, threshold) {
  return collection.find({ $where: `this.price > ${threshold}` }).toArray();
}

module.exports = { findExpensive };
