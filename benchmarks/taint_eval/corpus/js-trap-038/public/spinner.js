function showSpinner(container) {
  container.innerHTML = '<div class="spinner" role="status"><span class="sr-only">Loading…</span></div>';
}

window.showSpinner = showSpinner;
