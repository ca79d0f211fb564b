const fs = require("fs");
const https = require("https");
const axios = require("axios");

const agent = new https.Agent({ ca: fs.readFileSync("/etc/ssl/partner-ca.pem") });

function getPartnerOrders(baseUrl) {
  return axios.get(`${baseUrl}/orders`, { httpsAgent: agent, timeout: 10000 });
}

module.exports = { getPartnerOrders };
