const { execFile } = require("child_process");

function makeThumbnail(input, output, cb) {
  execFile("convert", [input, "-thumbnail", "200x200", output], cb);
}

module.exports = { makeThumbnail };
