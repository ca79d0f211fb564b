const https = require("https");

const ALLOW_SELF_SIGNED = false;

const agent = ALLOW_SELF_SIGNED ? new https.Agent({ rejectUnauthorized: false }) : new https.Agent({ keepAlive: true });

module.exports = { agent };
