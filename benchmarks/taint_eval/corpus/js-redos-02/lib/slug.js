const SLUG = /^([a-z0-9]+-?)+$/;

function isValidSlug(text) {
  return SLUG.test(text);
}

module.exports = { isValidSlug };
