function generateInviteCode() {
  return Math.random().toString(36).slice(2, 10).toUpperCase();
}

module.exports = { generateInviteCode };
