const https = require("https");
const axios = require("axios");

const agent = new https.Agent({ rejectUnauthorized: false });

function getPartnerOrders(baseUrl) {
  return axios.get(`${baseUrl}/orders`, { httpsAgent: agent, timeout: 10000 });
}

module.exports = { getPartnerOrders };
