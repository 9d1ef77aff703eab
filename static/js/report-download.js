// Word document build page: poll the build's status and move the progress bar; reload when the
// build has finished so the download (or the failure) appears. Without JavaScript the page
// refreshes itself (a meta refresh inside <noscript>).
const box = document.querySelector("[data-build-status]");
if (box && box.dataset.finished !== "true") {
  const bar = document.getElementById("build-progress");
  const label = document.getElementById("report-download-status");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.buildStatus, { credentials: "same-origin" });
      if (response.ok) {
        const status = await response.json();
        bar.value = status.progress;
        bar.textContent = `${status.progress}%`;
        label.textContent = `${status.status_label}: ${status.progress}% done.`;
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
