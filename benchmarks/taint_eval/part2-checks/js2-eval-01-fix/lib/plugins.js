const PLUGIN_URL = 'https://cdn.example.net/plugins/latest.json';

async function loadPlugin() {
  const resp = await fetch(PLUGIN_URL);
  const source = await resp.text();
  return JSON.parse(source);
}

module.exports = { loadPlugin };
