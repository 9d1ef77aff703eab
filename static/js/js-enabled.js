// Runs first in <body>: GOV.UK Frontend styles its components by these classes.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
