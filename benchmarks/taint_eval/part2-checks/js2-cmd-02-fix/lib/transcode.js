const { spawn } = require('child_process');

function toMp3(input, output) {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-y', '-i', input, output]);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${code}`))));
  });
}

module.exports = { toMp3 };
