// SSDA903 import page: move the progress bar as the import goes; reload when it has finished so
// the counts or refused rows appear (js/poll-status.js).
import { pollStatus } from "./poll-status.js";

const box = document.querySelector("[data-import-status]");
if (box && box.dataset.finished !== "true") {
  const bar = document.getElementById("import-progress");
  const label = document.getElementById("import-status-label");
  pollStatus(box.dataset.importStatus, (status) => {
    bar.value = status.progress;
    bar.textContent = `${status.progress}%`;
    label.textContent = status.finished
      ? status.status_label
      : `${status.status_label} (${status.progress}%)`;
    return status.finished;
  });
}
