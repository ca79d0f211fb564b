const getGlobal = new Function("return this");

module.exports = { getGlobal };
