// Disable a form's submit button once the form is sent, so a second press does not send it again.
// The server also refuses duplicates (a one-off token per create form); this spares the round trip.
// The button's name and value are kept in a hidden input, because a disabled button is not sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") {
    return;
  }
  if (form.dataset.submitted === "true") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
  const pressed = event.submitter;
  if (pressed && pressed.name) {
    const carried = document.createElement("input");
    carried.type = "hidden";
    carried.name = pressed.name;
    carried.value = pressed.value;
    form.appendChild(carried);
  }
  for (const button of form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])")) {
    button.disabled = true;
    button.setAttribute("aria-disabled", "true");
  }
});

// A page restored from the back/forward cache shows its forms ready to send again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) {
    return;
  }
  for (const form of document.querySelectorAll("form[data-submitted]")) {
    delete form.dataset.submitted;
    for (const button of form.querySelectorAll("[aria-disabled=true]")) {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    }
  }
});
