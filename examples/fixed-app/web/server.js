// Profile web service, written the careful way.
const express = require('express');
const path = require('path');
const multer = require('multer');
const validator = require('validator');
const crypto = require('crypto');

const app = express();
const uploadsDir = path.join(__dirname, 'uploads');
const ALLOWED_TYPES = new Set(['image/png', 'image/jpeg']);

const upload = multer({
  storage: multer.diskStorage({
    destination: uploadsDir,
    filename: (req, file, cb) => cb(null, crypto.randomUUID()),
  }),
  limits: { fileSize: 2 * 1024 * 1024 },
  fileFilter: (req, file, cb) => cb(null, ALLOWED_TYPES.has(file.mimetype)),
});

app.get('/uploads/:fileName', (req, res) => {
  const filePath = path.join(uploadsDir, req.params.fileName);
  const normalized = path.normalize(filePath);
  if (!normalized.startsWith(uploadsDir)) {
    return res.status(403).send('Forbidden');
  }
  res.sendFile(normalized);
});

function isEmailValid(email) {
  return validator.isEmail(email);
}

app.post('/api/users', async (req, res) => {
  try {
    if (!isEmailValid(req.body.email)) {
      return res.status(400).send({ error: 'invalid email' });
    }
    res.status(201).send({ success: true });
  } catch (err) {
    console.error(err); // log server-side
    res.status(500).send({ error: 'An internal server error occurred.' });
  }
});

app.post('/profile/picture', upload.single('avatar'), (req, res) => {
  res.send({ stored: req.file.filename });
});

app.listen(3000);
