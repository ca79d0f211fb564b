// Profile web service (generated with an AI assistant).
const express = require('express');
const path = require('path');
const multer = require('multer');

const app = express();
const upload = multer({ dest: 'uploads/' });

app.get('/uploads/:fileName', (req, res) => {
  const filePath = path.join(__dirname, 'uploads', req.params.fileName);
  res.sendFile(filePath); // DANGEROUS
});

const emailRegex = /^([a-zA-Z0-9_.-])+@(([a-zA-Z0-9-])+.)+([a-zA-Z0-9]{2,4})+$/;
function isEmailValid(email) {
  return emailRegex.test(email);
}

app.post('/api/users', async (req, res) => {
  try {
    if (!isEmailValid(req.body.email)) {
      return res.status(400).send({ error: 'invalid email' });
    }
    res.status(201).send({ success: true });
  } catch (err) {
    res.status(500).send({ error: err.message }); // DANGEROUS
  }
});

app.post('/profile/picture', upload.single('avatar'), (req, res) => {
  res.send({ stored: req.file.filename });
});

app.listen(3000);
