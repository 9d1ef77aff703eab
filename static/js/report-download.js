// Word document build page: move the progress bar as the build goes; reload when it has finished
// so the download (or the failure) appears (js/poll-status.js).
import { pollStatus } from "./poll-status.js";

const box = document.querySelector("[data-build-status]");
if (box && box.dataset.finished !== "true") {
  const bar = document.getElementById("build-progress");
  const label = document.getElementById("report-download-status");
  pollStatus(box.dataset.buildStatus, (status) => {
    bar.value = status.progress;
    bar.textContent = `${status.progress}%`;
    label.textContent = `${status.status_label}: ${status.progress}% done.`;
    return status.finished;
  });
}
