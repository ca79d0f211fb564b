const PLUGIN_URL = 'https://cdn.example.net/plugins/latest.js';

async function loadPlugin() {
  const resp = await fetch(PLUGIN_URL);
  const source = await resp.text();
  return eval(source);
}

module.exports = { loadPlugin };
