// The progress pages' polling (an SSDA903 import, a Word build, a case system sync): fetch the
// status endpoint every second, hand each answer to the page's own `onStatus`, which shows it and
// says whether the work has finished; then reload, so the page's finished state appears. A
// network hiccup is tried again on the next tick. Without JavaScript each page refreshes itself
// (a meta refresh inside <noscript>).
export function pollStatus(url, onStatus) {
  const poll = async () => {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && onStatus(await response.json())) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // Network hiccup: try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
}
