// The readability of the record written to the child, asked of the server as the IRO writes.
// Without this script the "Check readability" button shows the same score on the page.
const box = document.querySelector("[data-readability-url]");
const field = document.querySelector("textarea[data-readability]");
const summary = box && box.querySelector("[data-readability-summary]");
const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

if (box && field && summary && csrf) {
  let timer = null;
  let asked = 0;
  const check = async () => {
    const mine = ++asked;
    const body = new URLSearchParams({ text: field.value });
    try {
      const response = await fetch(box.dataset.readabilityUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf.value },
        body,
        credentials: "same-origin",
      });
      if (!response.ok || mine !== asked) return;
      const score = await response.json();
      summary.textContent = score.summary || "Write the record to see how easy it is to read.";
    } catch (error) {
      // Offline or signed out: the button still checks it on the server.
    }
  };
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 600);
  });
}
