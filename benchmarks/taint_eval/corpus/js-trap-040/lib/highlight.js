function highlight(text, term) {
  const safe = term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(safe, "gi"), (m) => `<mark>${m}</mark>`);
}

module.exports = { highlight };
