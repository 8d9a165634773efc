// Layout helpers every page shares. A static file, never inline: the CSP allows no inline script.
(() => {
  document.documentElement.classList.add("js");
  // <details class="wide-open">: open on wide screens, collapsed on phones (e.g. the queue's
  // filters, so a phone's first screen shows the queue, not the filters).
  const wide = window.matchMedia("(min-width: 641px)");
  const apply = () => {
    for (const box of document.querySelectorAll("details.wide-open")) box.open = wide.matches;
  };
  apply();
  wide.addEventListener("change", apply);
})();

// Behaviour that templates ask for with data- attributes instead of inline handlers
// (onchange=, onsubmit=), which the Content-Security-Policy does not run.
// <select data-submit-on-change>: choosing an option submits its form.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.requestSubmit();
});
// <form data-confirm="Delete …?">: asks first; Cancel stops the submission (htmx's too).
document.addEventListener(
  "submit",
  (event) => {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
