const { S3Client } = require("@aws-sdk/client-s3");

const s3 = new S3Client({
  region: "eu-west-1",
  credentials: {
    accessKeyId: "AKIAZ7QW3RTY5UIO2PLM",
    secretAccessKey: "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",
  },
});

module.exports = { s3 };
