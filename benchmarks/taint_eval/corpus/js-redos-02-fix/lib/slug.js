const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function isValidSlug(text) {
  return text.length <= 80 && SLUG.test(text);
}

module.exports = { isValidSlug };
