// Case system sync run page: move the progress bar as the run goes; reload when it has finished so
// its counts appear (js/poll-status.js).
import { pollStatus } from "./poll-status.js";

const box = document.querySelector("[data-sync-status]");
if (box && box.dataset.finished !== "true") {
  const bar = document.getElementById("sync-progress");
  const label = document.getElementById("sync-status");
  pollStatus(box.dataset.syncStatus, (status) => {
    if (status.status !== "queued" && status.status !== "running") {
      return true;
    }
    bar.max = status.total || 1;
    bar.value = status.done;
    label.textContent = `Running: ${status.stage} (${status.done} of ${status.total} steps).`;
    return false;
  });
}
