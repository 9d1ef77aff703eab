// Case system sync run page: poll the run's status and move the progress bar; reload when the run
// has finished so its counts appear. Without JavaScript the page refreshes itself (<noscript>).
const box = document.querySelector("[data-sync-status]");
if (box && box.dataset.finished !== "true") {
  const bar = document.getElementById("sync-progress");
  const label = document.getElementById("sync-status");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.syncStatus, { credentials: "same-origin" });
      if (response.ok) {
        const status = await response.json();
        if (status.status !== "queued" && status.status !== "running") {
          window.location.reload();
          return;
        }
        bar.max = status.total || 1;
        bar.value = status.done;
        label.textContent = `Running: ${status.stage} (${status.done} of ${status.total} steps).`;
      }
    } catch (error) {
      // Network hiccup: try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
}
