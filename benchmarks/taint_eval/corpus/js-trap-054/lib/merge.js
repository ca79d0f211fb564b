function assignDefaults(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    if (!(key in target)) target[key] = value;
  }
  return target;
}

module.exports = { assignDefaults };
