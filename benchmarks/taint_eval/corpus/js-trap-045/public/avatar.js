const COLORS = ["#f87171", "#60a5fa", "#34d399", "#fbbf24"];

function placeholderColor() {
  return COLORS[Math.floor(Math.random() * COLORS.length)];
}

window.placeholderColor = placeholderColor;
