function compileFormula(formula) {
  return new Function("row", "return " + formula + ";");
}

module.exports = { compileFormula };
