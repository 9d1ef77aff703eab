// The service's JavaScript: GOV.UK and MOJ Frontend components, and print buttons.
// Kept out of the templates so that the Content-Security-Policy allows no inline script.
import { initAll } from "../vendor/govuk-frontend.min.js";
import { initAll as mojInitAll } from "../vendor/moj-frontend.min.js";

initAll();
mojInitAll();

for (const button of document.querySelectorAll("[data-app-print]")) {
  button.addEventListener("click", () => window.print());
}
