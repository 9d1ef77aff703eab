// SSDA903 import page: poll the status endpoint and move the progress bar; reload when the
// import has finished so the counts or refused rows appear. Without JavaScript the page
// refreshes itself (a meta refresh inside <noscript>).
const box = document.querySelector("[data-import-status]");
if (box && box.dataset.finished !== "true") {
  const bar = document.getElementById("import-progress");
  const label = document.getElementById("import-status-label");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.importStatus, { credentials: "same-origin" });
      if (response.ok) {
        const status = await response.json();
        bar.value = status.progress;
        bar.textContent = `${status.progress}%`;
        label.textContent = status.finished
          ? status.status_label
          : `${status.status_label} (${status.progress}%)`;
        if (status.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // Network hiccup: try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
}
