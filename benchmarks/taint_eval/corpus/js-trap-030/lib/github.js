const axios = require("axios");

async function repoStars(owner, repo) {
  const url = `https://api.github.com/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  const { data } = await axios.get(url, { timeout: 5000 });
  return data.stargazers_count;
}

module.exports = { repoStars };
