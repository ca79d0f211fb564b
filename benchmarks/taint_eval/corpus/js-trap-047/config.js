module.exports = {
  port: Number(process.env.PORT || 3000),
  databaseUrl: process.env.DATABASE_URL || "postgres://localhost/dev",
  jwtSecret: process.env.JWT_SECRET,
  passwordMinLength: 12,
};
