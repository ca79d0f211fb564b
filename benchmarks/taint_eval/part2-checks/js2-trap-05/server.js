const express = require('express');
const { execSync } = require('child_process');

const app = express();
app.use(express.json());

app.post('/task', (req, res) => {
  const task = { ...req.body, command: 'npm run build' };
  const out = execSync(task.command, { cwd: '/srv/site' });
  res.json({ owner: task.owner, log: out.toString() });
});

app.listen(3000);
